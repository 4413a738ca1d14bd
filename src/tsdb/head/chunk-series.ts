import { compareLabels } from '../../model/labels.js';
import type { ChunkData, ChunkSeries } from '../block/writer.js';
import { ENCODING_XOR, XORChunk } from '../chunkenc/xor.js';
import { chunkNumSamples } from '../block/rewrite.js';
import { HeadSeriesIterator, type SeriesSnapshot } from './iterator.js';
import { histogramChunks } from './hist-chunks.js';
import type { HistSlice } from './hist-samples.js';
import { snapshotSeries } from './querier.js';
import type { MemSeries } from './series.js';
import type { Labels } from '../../model/labels.js';

/**
 * chunkSeriesOf yields, sorted by labels, each series' chunks restricted to [mint, maxt):
 * chunks wholly inside are passed through; chunks straddling a boundary, series with
 * out-of-order samples or tombstones in range are re-encoded from the merged samples.
 */
export function* chunkSeriesOf(
  all: readonly MemSeries[],
  mint: number,
  maxt: number,
  samplesPerChunk: number,
): Generator<ChunkSeries> {
  const last = maxt - 1;
  const picked = all.filter((s) => s.minT <= last && s.maxT >= mint);
  picked.sort((a, b) => compareLabels(a.labels, b.labels));
  for (const s of picked) {
    const chunks = seriesChunks(s, mint, last, samplesPerChunk);
    if (chunks.length > 0) yield { labels: s.labels, chunks };
  }
}

function seriesChunks(s: MemSeries, mint: number, last: number, samplesPerChunk: number): ChunkData[] {
  const snap = snapshotSeries(s, mint, last);
  if (snap === null) return [];
  const out = floatChunks(snap, mint, last, samplesPerChunk);
  if (s.hist === null) return out;
  for (const c of histogramChunks(s.hist, mint, last, samplesPerChunk, snap.tombstones)) out.push(c);
  return out.sort((a, b) => a.mint - b.mint);
}

function floatChunks(snap: SeriesSnapshot, mint: number, last: number, samplesPerChunk: number): ChunkData[] {
  const out: ChunkData[] = [];
  if (snap.oooN > 0 || snap.tombstones !== null) {
    reencode(new HeadSeriesIterator(snap), samplesPerChunk, out);
    return out;
  }
  for (const c of snap.chunks) {
    if (c.mint >= mint && c.maxt <= last) {
      const data = c.data ?? c.chunk!.bytes().slice();
      out.push({ mint: c.mint, maxt: c.maxt, encoding: ENCODING_XOR, data });
    } else {
      const it = new HeadSeriesIterator({
        chunks: [c],
        oooT: null,
        oooV: null,
        oooN: 0,
        tombstones: null,
        startTs: null,
        mint,
        maxt: Math.min(last, c.maxt),
      });
      reencode(it, samplesPerChunk, out);
    }
  }
  return out;
}

function reencode(it: HeadSeriesIterator, samplesPerChunk: number, out: ChunkData[]): void {
  let c: XORChunk | null = null;
  let app: { append(t: number, v: number): void } | null = null;
  let n = 0;
  let cmin = 0;
  let cmax = 0;
  while (it.next()) {
    const t = it.atT();
    if (c === null || n >= samplesPerChunk) {
      if (c !== null) out.push({ mint: cmin, maxt: cmax, encoding: ENCODING_XOR, data: c.bytes().slice() });
      c = new XORChunk();
      app = c.appender();
      n = 0;
      cmin = t;
    }
    app!.append(t, it.atV());
    cmax = t;
    n++;
  }
  if (c !== null) out.push({ mint: cmin, maxt: cmax, encoding: ENCODING_XOR, data: c.bytes().slice() });
}

/** SelectedChunkSeries is one series a query select found in the head: its chunks over the range and their sample count. */
export interface SelectedChunkSeries {
  readonly labels: Labels;
  readonly chunks: readonly ChunkData[];
  /** startTs lists (t, st) pairs of samples in range that carry a start timestamp, or null. */
  readonly startTs: number[] | null;
  /** samples is the number of samples in the chunks (whole chunks: readers clip to the range). */
  readonly samples: number;
  /** hist holds the series' native histogram samples in range (tombstoned ones removed), or null. */
  readonly hist: HistSlice | null;
}

/** HeadSelectSource is what selectChunkSeries reads of a head. */
export interface HeadSelectSource {
  readonly truncatedBefore: number;
  seriesByRef(ref: number): MemSeries | undefined;
}

/**
 * selectChunkSeries is the ref-driven variant of chunkSeriesOf for queries: it yields, in the
 * given order, the series among refs (already matched, for instance by the query's matchers)
 * with data in [mint, maxt] (inclusive). In-order chunks are passed whole (closed ones and the
 * open one, a view the consumer copies before the next step); a series with out-of-order
 * samples or tombstones in range is re-encoded from its merged samples, restricted to the
 * range. It may be resumed across event-loop turns while appends go on.
 */
export function* selectChunkSeries(head: HeadSelectSource, mint: number, maxt: number, refs: Iterable<number>, samplesPerChunk: number): Generator<SelectedChunkSeries> {
  const lo = Math.max(mint, head.truncatedBefore);
  if (lo > maxt) return;
  for (const ref of refs) {
    const s = head.seriesByRef(ref);
    if (s === undefined || s.minT > maxt || s.maxT < lo) continue;
    const snap = snapshotSeries(s, lo, maxt);
    if (snap === null) continue;
    const chunks: ChunkData[] = [];
    if (snap.oooN > 0 || snap.tombstones !== null) reencode(new HeadSeriesIterator(snap), samplesPerChunk, chunks);
    else for (const c of snap.chunks) chunks.push({ mint: c.mint, maxt: c.maxt, encoding: ENCODING_XOR, data: c.data ?? c.chunk!.bytes() });
    const hist = snap.hist !== undefined && snap.hist !== null ? liveHistograms(snap.hist, snap.tombstones) : null;
    if (chunks.length === 0 && hist === null) continue;
    let samples = 0;
    for (const c of chunks) samples += chunkNumSamples(c.data);
    let startTs: number[] | null = null;
    if (snap.startTs !== null) {
      startTs = [];
      for (const [t, st] of snap.startTs) if (t >= lo && t <= snap.maxt) startTs.push(t, st);
      if (startTs.length === 0) startTs = null;
    }
    yield { labels: s.labels, chunks, startTs, samples, hist };
  }
}

/** liveHistograms drops the samples inside deleted intervals; null when none is left. */
function liveHistograms(h: HistSlice, tombstones: readonly number[] | null): HistSlice | null {
  if (tombstones === null) return h;
  const t: number[] = [];
  const fh: HistSlice['fh'][number][] = [];
  for (let i = 0; i < h.t.length; i++) {
    let dead = false;
    for (let k = 0; k < tombstones.length; k += 2) if (h.t[i]! >= tombstones[k]! && h.t[i]! <= tombstones[k + 1]!) dead = true;
    if (!dead) {
      t.push(h.t[i]!);
      fh.push(h.fh[i]!);
    }
  }
  return t.length === 0 ? null : { t, fh };
}
