import { compareLabels, labelsToString } from '../../model/labels.js';
import type { Labels } from '../../model/labels.js';
import { sampleIteratorFromArrays } from '../../storage/merge/array-iterator.js';
import { mergeSampleIterators } from '../../storage/merge/merge-iterator.js';
import type { SampleIterator } from '../../storage/series.js';
import type { ChunkData, ChunkSeries } from '../block/writer.js';
import { decodeMixed, encodeMixed, mergeMixed } from '../chunkenc/mixed.js';
import { ENCODING_XOR, XORChunk } from '../chunkenc/xor.js';

/** DeletedInterval is an inclusive time range whose samples are deleted (a tombstone). */
export interface DeletedInterval {
  mint: number;
  maxt: number;
}

/** MergeChunkOptions tune mergeChunkSeries. */
export interface MergeChunkOptions {
  /** deleted returns the tombstoned intervals of a series in source src (default: none). */
  deleted?: (src: number, labels: Labels) => readonly DeletedInterval[];
  /** samplesPerChunk caps re-encoded chunks (default 120, as Prometheus). */
  samplesPerChunk?: number;
  /** mint drops samples before it (inclusive bound; default: none). */
  mint?: number;
  /** maxt drops samples after it (inclusive bound; pass a block's exclusive maxTime - 1). */
  maxt?: number;
}

/** DEFAULT_SAMPLES_PER_CHUNK is the size of re-encoded chunks, as Prometheus's compaction merger. */
export const DEFAULT_SAMPLES_PER_CHUNK = 120;

/**
 * mergeChunkSeries k-way merges several label-sorted ChunkSeries streams (one per source block) into one
 * label-sorted stream; for series present in several sources whose chunks overlap in time, the samples are
 * decoded, merged (dedup by timestamp, first source wins) and re-encoded into chunks of at most 120
 * samples (XOR for floats; histogram and float histogram chunks as Prometheus cuts them, a new chunk
 * at each change of sample type); non-overlapping chunks pass through untouched (no re-encode). Optionally drops samples inside
 * deleted intervals (tombstones) given per source as (labels) => Interval[], and outside [mint, maxt];
 * chunks partly hit are re-encoded, series left without samples are omitted.
 */
export function mergeChunkSeries(
  sources: readonly Iterable<ChunkSeries>[],
  opts: MergeChunkOptions = {},
): Iterable<ChunkSeries> {
  const perChunk = opts.samplesPerChunk ?? DEFAULT_SAMPLES_PER_CHUNK;
  if (!Number.isInteger(perChunk) || perChunk < 1 || perChunk > 0xffff) {
    throw new RangeError(`mergeChunkSeries: samplesPerChunk must be an integer in [1, 65535], got ${perChunk}`);
  }
  return {
    [Symbol.iterator]: () => mergeGenerator(sources, opts, perChunk),
  };
}

interface Item {
  src: number;
  chunk: ChunkData;
  /** deleted holds the source's intervals (sorted, merged) when the chunk overlaps one of them. */
  deleted: readonly DeletedInterval[] | null;
}

function* mergeGenerator(
  sources: readonly Iterable<ChunkSeries>[],
  opts: MergeChunkOptions,
  perChunk: number,
): Generator<ChunkSeries> {
  const its = sources.map((s) => s[Symbol.iterator]());
  const heads: (ChunkSeries | undefined)[] = its.map((it) => nextOf(it));
  const bounds: DeletedInterval[] = [];
  if (opts.mint !== undefined) bounds.push({ mint: -Infinity, maxt: opts.mint - 1 });
  if (opts.maxt !== undefined) bounds.push({ mint: opts.maxt + 1, maxt: Infinity });

  for (;;) {
    let min: Labels | undefined;
    for (const h of heads) if (h !== undefined && (min === undefined || compareLabels(h.labels, min) < 0)) min = h.labels;
    if (min === undefined) return;

    const items: Item[] = [];
    for (let src = 0; src < heads.length; src++) {
      const h = heads[src];
      if (h === undefined || compareLabels(h.labels, min) !== 0) continue;
      collectItems(src, h, opts, bounds, items);
      const nxt = nextOf(its[src]!);
      if (nxt !== undefined && compareLabels(nxt.labels, min) <= 0) {
        throw new Error(`mergeChunkSeries: source ${src} is not sorted by labels at ${labelsToString(nxt.labels)}`);
      }
      heads[src] = nxt;
    }
    const chunks = mergeItems(items, perChunk);
    if (chunks.length > 0) yield { labels: min, chunks };
  }
}

function nextOf(it: Iterator<ChunkSeries>): ChunkSeries | undefined {
  const r = it.next();
  return r.done ? undefined : r.value;
}

/** collectItems adds a source series' chunks, dropping chunks wholly deleted and flagging chunks partly deleted. */
function collectItems(
  src: number,
  s: ChunkSeries,
  opts: MergeChunkOptions,
  bounds: readonly DeletedInterval[],
  out: Item[],
): void {
  const tomb = opts.deleted?.(src, s.labels) ?? [];
  const ivs = tomb.length === 0 && bounds.length === 0 ? [] : normalizeIntervals([...tomb, ...bounds]);
  for (const chunk of s.chunks) {
    let hit = false;
    let covered = false;
    for (const iv of ivs) {
      if (iv.maxt < chunk.mint || iv.mint > chunk.maxt) continue;
      hit = true;
      if (iv.mint <= chunk.mint && iv.maxt >= chunk.maxt) covered = true;
      break;
    }
    if (covered) continue;
    out.push({ src, chunk, deleted: hit ? ivs : null });
  }
}

/** normalizeIntervals sorts intervals and merges overlapping or touching ones. */
export function normalizeIntervals(ivs: readonly DeletedInterval[]): DeletedInterval[] {
  const sorted = ivs.filter((iv) => iv.mint <= iv.maxt).sort((a, b) => a.mint - b.mint);
  const out: DeletedInterval[] = [];
  for (const iv of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && iv.mint <= last.maxt + 1) {
      if (iv.maxt > last.maxt) last.maxt = iv.maxt;
    } else out.push({ mint: iv.mint, maxt: iv.maxt });
  }
  return out;
}

/** mergeItems orders chunks by time and re-encodes only runs of overlapping or partly deleted chunks. */
function mergeItems(items: Item[], perChunk: number): ChunkData[] {
  items.sort((a, b) => a.chunk.mint - b.chunk.mint || a.src - b.src);
  const out: ChunkData[] = [];
  let i = 0;
  while (i < items.length) {
    let j = i + 1;
    let maxt = items[i]!.chunk.maxt;
    while (j < items.length && items[j]!.chunk.mint <= maxt) {
      if (items[j]!.chunk.maxt > maxt) maxt = items[j]!.chunk.maxt;
      j++;
    }
    const run = items.slice(i, j);
    if (run.every((x) => x.deleted === null) && allSameChunk(run)) out.push(run[0]!.chunk);
    else reencode(run, perChunk, out);
    i = j;
  }
  return out;
}

/** allSameChunk reports whether the run is one chunk, or byte-identical copies of one chunk. */
function allSameChunk(run: readonly Item[]): boolean {
  const first = run[0]!.chunk;
  for (let k = 1; k < run.length; k++) {
    const c = run[k]!.chunk;
    if (c.mint !== first.mint || c.maxt !== first.maxt || c.encoding !== first.encoding) return false;
    if (c.data.length !== first.data.length) return false;
    for (let b = 0; b < c.data.length; b++) if (c.data[b] !== first.data[b]) return false;
  }
  return true;
}

/** reencode decodes the run's chunks, drops deleted samples, merges them (lower source wins) and cuts new chunks. */
function reencode(run: Item[], perChunk: number, out: ChunkData[]): void {
  // Priority for equal timestamps: lower source first, then earlier chunk.
  const ordered = [...run].sort((a, b) => a.src - b.src || a.chunk.mint - b.chunk.mint);
  if (ordered.some((x) => x.chunk.encoding !== ENCODING_XOR)) {
    reencodeMixed(ordered, perChunk, out);
    return;
  }
  const its: SampleIterator[] = [];
  for (const item of ordered) {
    const dec = decodeChunk(item.chunk, item.deleted);
    if (dec.n > 0) its.push(sampleIteratorFromArrays(dec.ts, dec.vs, 0, dec.n));
  }
  const merged = mergeSampleIterators(its);
  let chunk: XORChunk | null = null;
  let app: ReturnType<XORChunk['appender']> | null = null;
  let count = 0;
  let mint = 0;
  let maxt = 0;
  const flush = (): void => {
    if (chunk === null || count === 0) return;
    out.push({ mint, maxt, encoding: ENCODING_XOR, data: chunk.bytes().slice() });
    chunk = null;
    app = null;
    count = 0;
  };
  while (merged.next()) {
    const t = merged.atT();
    if (count === perChunk) flush();
    if (app === null) {
      chunk = new XORChunk();
      app = chunk.appender();
      mint = t;
    }
    app.append(t, merged.atV());
    maxt = t;
    count++;
  }
  flush();
}

/**
 * reencodeMixed is reencode for runs holding histogram chunks: samples of every kind are merged
 * and re-encoded as Prometheus's compaction does (a new chunk at each change of sample type).
 */
function reencodeMixed(ordered: readonly Item[], perChunk: number, out: ChunkData[]): void {
  const lists = ordered.map((item) => {
    const del = item.deleted;
    return decodeMixed(item.chunk, del === null ? undefined : (t) => !del.some((iv) => iv.mint <= t && t <= iv.maxt));
  });
  for (const c of encodeMixed(mergeMixed(lists), perChunk)) out.push(c);
}

interface Decoded {
  ts: Float64Array;
  vs: Float64Array;
  n: number;
}

/** decodeChunk decodes an XOR chunk, skipping samples inside the sorted deleted intervals. */
function decodeChunk(c: ChunkData, deleted: readonly DeletedInterval[] | null): Decoded {
  if (c.encoding !== ENCODING_XOR) {
    throw new Error(`mergeChunkSeries: cannot re-encode chunk encoding ${c.encoding}: only XOR (${ENCODING_XOR}) is supported`);
  }
  const chunk = new XORChunk(c.data);
  const cap = chunk.numSamples();
  const ts = new Float64Array(cap);
  const vs = new Float64Array(cap);
  const it = chunk.iterator();
  let n = 0;
  let k = 0;
  while (it.next()) {
    const t = it.atT();
    if (deleted !== null) {
      while (k < deleted.length && deleted[k]!.maxt < t) k++;
      if (k < deleted.length && deleted[k]!.mint <= t) continue;
    }
    if (n === cap) throw new Error(`mergeChunkSeries: chunk holds more samples than its header's ${cap}`);
    ts[n] = t;
    vs[n] = it.atV();
    n++;
  }
  const err = it.err();
  if (err !== null) throw err;
  return { ts, vs, n };
}
