import { compareStrings, getLabel } from '../model/labels.js';
import type { Matcher } from '../model/matcher.js';
import { TOO_MANY_SAMPLES } from '../promql/engine/errors.js';
import type { SelectedChunkSeries } from '../tsdb/head/chunk-series.js';
import { ALL_POSTINGS_KEY, type PostingsIndex } from '../tsdb/postings/matchers.js';
import type { Labels } from '../model/labels.js';
import { SeriesWriter } from './head-wire.js';

/** HeadSource is what the main-thread side of the head RPC reads of one workspace's head. */
export interface HeadSource {
  readonly postings: PostingsIndex & { labelNames(): readonly string[] };
  minTime(): number;
  maxTime(): number;
  seriesByRef(ref: number): { readonly labels: Labels } | undefined;
  selectChunks(mint: number, maxt: number, refs: Iterable<number>): Iterable<SelectedChunkSeries>;
}

/** SliceOptions bound how long the owning thread works before yielding to other events. */
export interface SliceOptions {
  /** sliceItems is the most series (or values) handled per slice (default 2,000). */
  readonly sliceItems?: number;
  /** sliceMs is the longest a slice runs (default 2 ms). */
  readonly sliceMs?: number;
}

/** HeadSelectOptions are one select's limits and cancellation. */
export interface HeadSelectOptions extends SliceOptions {
  /** maxSamples caps the samples the select may load (the workspace's maxQuerySamples). */
  readonly maxSamples: number;
  /** maxBytes caps the encoded reply. */
  readonly maxBytes: number;
  /** cancelled is polled between slices; a true answer ends the select with HeadSelectError('canceled'). */
  readonly cancelled: () => boolean;
}

/** HeadSelectError is a select the owning thread refused or stopped, with a Prometheus error type. */
export class HeadSelectError extends Error {
  override name = 'HeadSelectError';
  constructor(
    readonly errorType: 'execution' | 'canceled',
    message: string,
  ) {
    super(message);
  }
}

/** yieldTurn lets other events (remote writes, health checks) run. */
function yieldTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** sliced runs step over items, yielding to the event loop every sliceItems items or sliceMs. */
async function sliced<T>(items: Iterable<T>, opts: SliceOptions & { cancelled: () => boolean }, step: (x: T) => void): Promise<void> {
  const maxItems = opts.sliceItems ?? 2_000;
  const maxMs = opts.sliceMs ?? 2;
  let n = 0;
  let t0 = performance.now();
  for (const x of items) {
    step(x);
    if (++n >= maxItems || performance.now() - t0 >= maxMs) {
      await yieldTurn();
      if (opts.cancelled()) throw new HeadSelectError('canceled', 'query was canceled in query execution');
      n = 0;
      t0 = performance.now();
    }
  }
}

type Sliced = SliceOptions & { cancelled: () => boolean };

/** matchRegex evaluates a regex matcher against its label's values in slices (so a costly pattern over many values never holds the thread). */
async function matchRegex(ix: PostingsIndex, m: Matcher, opts: Sliced): Promise<Set<string>> {
  const hits = new Set<string>();
  await sliced(ix.labelValues(m.name), { ...opts, sliceItems: Math.min(opts.sliceItems ?? 2_000, 500) }, (v) => {
    if (m.matches(v)) hits.add(v);
  });
  return hits;
}

/**
 * matchingRefs resolves matchers to the refs of the head series they all select (Prometheus's
 * semantics: a missing label is the empty value), in slices: regexes are run once per label
 * value, the smallest candidate list (one equality's postings, one regex's matching values'
 * postings, or all series) is scanned series by series, and no postings merge or intersection
 * runs unbounded. Refs come in candidate order.
 */
export async function matchingRefs(head: HeadSource, matchers: readonly Matcher[], opts: Sliced): Promise<number[]> {
  const ix = head.postings;
  const tests: ((v: string) => boolean)[] = [];
  let base: readonly (readonly number[])[] = [ix.postings(ALL_POSTINGS_KEY.name, ALL_POSTINGS_KEY.value)];
  let baseSize = base[0]!.length;
  // baseBy is the matcher whose postings are the candidates: every candidate passes it, so it is not tested again.
  let baseBy = -1;
  const consider = (lists: readonly (readonly number[])[], by: number): void => {
    let n = 0;
    for (const l of lists) n += l.length;
    if (n < baseSize) {
      base = lists;
      baseSize = n;
      baseBy = by;
    }
  };
  for (let i = 0; i < matchers.length; i++) {
    const m = matchers[i]!;
    if (m.type === '=~' || m.type === '!~') {
      const hits = await matchRegex(ix, m, opts);
      const empty = m.matches('');
      tests.push((v) => (v === '' ? empty : hits.has(v)));
      if (!empty) consider([...hits].map((v) => ix.postings(m.name, v)), i);
    } else {
      tests.push((v) => m.matches(v));
      if (m.type === '=' && m.value !== '') consider([ix.postings(m.name, m.value)], i);
    }
  }
  const out: number[] = [];
  const candidates = function* (): Generator<number> {
    for (const l of base) yield* l;
  };
  await sliced(candidates(), opts, (ref) => {
    const s = head.seriesByRef(ref);
    if (s === undefined) return;
    for (let i = 0; i < matchers.length; i++) if (i !== baseBy && !tests[i]!(getLabel(s.labels, matchers[i]!.name))) return;
    out.push(ref);
  });
  return out;
}

/** estimateSamples counts a series' samples in [mint, maxt]: whole chunks inside, straddling ones by time share. */
function estimateSamples(s: SelectedChunkSeries, mint: number, maxt: number): number {
  let n = 0;
  for (const c of s.chunks) {
    const total = c.data.length < 2 ? 0 : (c.data[0]! << 8) | c.data[1]!;
    if (c.mint >= mint && c.maxt <= maxt) n += total;
    else {
      const span = c.maxt - c.mint;
      const overlap = Math.min(c.maxt, maxt) - Math.max(c.mint, mint);
      n += span > 0 ? Math.ceil((total * Math.max(0, overlap)) / span) : total;
    }
  }
  return n;
}

/**
 * selectHead encodes the series of the head matching matchers over [mint, maxt] with their
 * chunks (see head-wire.ts), in slices, enforcing the sample and size limits while building.
 */
export async function selectHead(head: HeadSource, mint: number, maxt: number, matchers: readonly Matcher[], opts: HeadSelectOptions): Promise<ArrayBuffer> {
  const w = new SeriesWriter();
  let samples = 0;
  const refs = await matchingRefs(head, matchers, opts);
  await sliced(head.selectChunks(mint, maxt, refs), opts, (s) => {
    samples += estimateSamples(s, mint, maxt) + (s.hist !== null ? s.hist.t.length : 0);
    if (samples > opts.maxSamples) throw new HeadSelectError('execution', TOO_MANY_SAMPLES);
    w.add(s.labels, s.chunks, s.startTs, s.hist);
    if (w.size > opts.maxBytes) {
      throw new HeadSelectError('execution', `the head data selected by this query exceeds ${opts.maxBytes} bytes (query.maxHeadSelectBytes); narrow the selector or the time range`);
    }
  });
  return w.finish();
}

function overlapsHead(head: HeadSource, mint: number, maxt: number): boolean {
  return head.minTime() <= maxt && head.maxTime() >= mint;
}

/** headLabelNames lists the sorted label names of head series matching matchers (all names without matchers), in slices. */
export async function headLabelNames(head: HeadSource, mint: number, maxt: number, matchers: readonly Matcher[], opts: Sliced): Promise<string[]> {
  if (!overlapsHead(head, mint, maxt)) return [];
  if (matchers.length === 0) return [...head.postings.labelNames()];
  const names = new Set<string>();
  const refs = await matchingRefs(head, matchers, opts);
  await sliced(refs, opts, (ref) => {
    const s = head.seriesByRef(ref);
    if (s !== undefined) for (const l of s.labels) names.add(l.name);
  });
  return [...names].sort(compareStrings);
}

/** headLabelValues lists the sorted values of a label among head series matching matchers, in slices. */
export async function headLabelValues(head: HeadSource, name: string, mint: number, maxt: number, matchers: readonly Matcher[], opts: Sliced): Promise<string[]> {
  if (!overlapsHead(head, mint, maxt)) return [];
  const values = [...head.postings.labelValues(name)];
  if (matchers.length === 0) return values;
  const selected = new Set(await matchingRefs(head, matchers, opts));
  if (selected.size === 0) return [];
  const out: string[] = [];
  await sliced(values, opts, (v) => {
    for (const ref of head.postings.postings(name, v)) {
      if (selected.has(ref)) {
        out.push(v);
        return;
      }
    }
  });
  return out;
}
