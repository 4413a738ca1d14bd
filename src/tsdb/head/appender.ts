import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Labels } from '../../model/labels.js';
import { StorageError } from '../../storage/errors.js';
import type { RawAppender, SeriesRef } from '../../storage/interface.js';
import type { Head } from './head.js';
import type { BatchBuffers } from './batch.js';
import { sameBits } from './ooo.js';
import { HIST_MARK, type MemSeries } from './series.js';
import type { FloatHistogram, Histogram } from '../../model/histogram/types.js';
import { sameHistogramSample } from './hist-samples.js';
import { encodeHistogramRecords, type RefHistogramSample } from '../wal/histogram-records.js';
import { PendingHistograms } from './pending-histograms.js';

/**
 * HeadAppender batches samples for the head in columnar typed arrays (no per-sample
 * objects). Samples are checked at append time against the series' committed state and
 * this batch's own pending samples (and those reserved by batches on their way to the WAL); on commit
 * they are logged to the WAL and become visible once the WAL has them durably.
 */
export class HeadAppender implements RawAppender {
  private n = 0;
  /** applied counts the samples a sliced apply has already made visible. */
  private applied = 0;
  /** histApplied counts the queued histograms a sliced apply has already made visible. */
  private histApplied = 0;
  private b: BatchBuffers | null = null;
  private created: MemSeries[] = [];
  /** stSeries/stT/stV list this batch's samples given a start timestamp (rare: kept out of the columnar batch). */
  private stSeries: MemSeries[] = [];
  private stT: number[] = [];
  private stV: number[] = [];
  /** hists lists this batch's histogram samples with their place among the float samples (null while none). */
  private hists: PendingHistograms | null = null;

  constructor(
    private readonly head: Head,
    private readonly id: number,
  ) {}

  /** seriesFor resolves a sample's series (by ref, else by labels, creating it) and checks its timestamp's bounds. */
  private seriesFor(ref: SeriesRef, labels: Labels, t: number): MemSeries {
    const head = this.head;
    let s = ref !== 0 ? head.seriesByRef(ref) : undefined;
    if (s === undefined) {
      s = head.getOrCreate(labels);
      if (head.lastCreated) {
        this.created.push(s);
        head.openApps.set(this.id, this);
      }
    }
    if (t < head.minValidTime) throw new StorageError('out_of_bounds');
    if (!Number.isSafeInteger(t)) throw new StorageError('out_of_bounds', `timestamp ${t} is not an integer number of milliseconds`);
    return s;
  }

  /** append queues one sample; throws StorageError for a rejected sample (the rest of the batch is kept). */
  append(ref: SeriesRef, labels: Labels, t: number, v: number): SeriesRef {
    const head = this.head;
    const s = this.seriesFor(ref, labels, t);
    const id = this.id;
    let maxT = s.maxT;
    let lastV = s.lastV;
    const resT = s.resT;
    let reserved = false;
    if (resT > maxT) {
      // A batch on its way to the WAL holds newer samples: check against them as if they were committed.
      maxT = resT;
      lastV = s.resV;
      reserved = true;
    }
    if (s.pendApp === id && s.pendT > maxT) {
      maxT = s.pendT;
      lastV = s.pendV;
      reserved = false;
    }
    if (t > maxT) {
      s.pendApp = id;
      s.pendT = t;
      s.pendV = v;
    } else if (t === maxT) {
      if (!sameBits(v, lastV)) throw new StorageError('duplicate_sample');
      // The same sample in a batch not yet durable is queued again (dropped at commit if that batch lands).
      if (!reserved) return s.ref;
      if (s.pendApp !== id) {
        s.pendApp = id;
        s.pendT = -Infinity;
      }
    } else {
      const w = head.opts.outOfOrderWindow();
      if (w <= 0) throw new StorageError('out_of_order');
      if (t < maxT - w) throw new StorageError('too_old');
      if (s.findValue(t, found)) {
        if (sameBits(found[0]!, v)) return s.ref;
        throw new StorageError('duplicate_sample');
      }
      if (s.pendApp !== id) {
        s.pendApp = id;
        s.pendT = -Infinity;
      }
    }
    const n = this.n;
    let b = this.b;
    if (b === null) {
      b = this.b = head.batchPool.take();
      head.openApps.set(id, this);
    }
    if (n === b.ts.length) b.grow(n);
    b.refs[n] = s.ref;
    b.ts[n] = t;
    b.vs[n] = v;
    b.series[n] = s;
    this.n = n + 1;
    return s.ref;
  }

  /**
   * appendHistogram queues one native histogram sample (h integer or fh float). As in Prometheus 2.42 histograms are
   * in order only: one older than the series' newest sample is out of order; one at the same timestamp must equal it.
   */
  appendHistogram(ref: SeriesRef, labels: Labels, t: number, h: Histogram | undefined, fh: FloatHistogram | undefined): SeriesRef {
    const head = this.head;
    const s = this.seriesFor(ref, labels, t);
    const id = this.id;
    let maxT = s.maxT;
    let lastV = s.lastV;
    if (s.resT > maxT) {
      maxT = s.resT;
      lastV = s.resV;
    }
    if (s.pendApp === id && s.pendT > maxT) {
      maxT = s.pendT;
      lastV = s.pendV;
    }
    if (t === maxT) {
      const prev = sameBits(lastV, HIST_MARK) ? (this.hists?.sampleOf(s, t) ?? s.hist?.sampleAt(t)) : undefined;
      if (prev !== undefined && sameHistogramSample(h, fh, prev)) return s.ref;
      throw new StorageError('duplicate_sample');
    }
    if (t < maxT) throw new StorageError('out_of_order');
    s.pendApp = id;
    s.pendT = t;
    s.pendV = HIST_MARK;
    if (this.hists === null) {
      this.hists = new PendingHistograms();
      head.openApps.set(id, this);
    }
    this.hists.push(this.n, s, t, h, fh);
    return s.ref;
  }

  /**
   * appendST queues one sample with its start timestamp st (0 = unknown); the start timestamp is kept in memory
   * only (not logged to the WAL nor written to blocks yet).
   */
  appendST(ref: SeriesRef, labels: Labels, t: number, st: number, v: number): SeriesRef {
    const r = this.append(ref, labels, t, v);
    if (st !== 0) {
      if (!Number.isSafeInteger(st)) throw new StorageError('out_of_bounds', `start timestamp ${st} is not an integer number of milliseconds`);
      this.stSeries.push(this.head.seriesByRef(r)!);
      this.stT.push(t);
      this.stV.push(st);
    }
    return r;
  }

  /** refForBytes returns the series ref registered for exactly these label bytes, or 0. */
  refForBytes(buf: Uint8Array, start: number, end: number): SeriesRef {
    return this.head.aliases.get(buf, start, end);
  }

  /** registerBytes remembers that these label bytes encode the series ref. */
  registerBytes(buf: Uint8Array, start: number, end: number, ref: SeriesRef): void {
    if (this.head.seriesByRef(ref) === undefined) return;
    this.head.aliases.set(buf, start, end, ref);
  }

  /**
   * commit logs the batch to the WAL and resolves once it is durable; only then are its samples applied
   * (visible). While the record is on its way, the batch reserves its newest timestamp per series, so later
   * batches are checked against it; a failed write releases the reservations and leaves nothing visible,
   * so the identical batch can be retried.
   */
  async commit(): Promise<void> {
    const head = this.head;
    const n = this.n;
    head.aliases.release();
    const logged = head.wal !== null ? this.seriesToLog() : [];
    const pending: Promise<void>[] = [];
    const hists = this.hists;
    if (head.wal !== null && (n > 0 || logged.length > 0 || hists !== null)) {
      const b = this.b;
      try {
        // A large batch sends its series records ahead in slices, giving the event loop away between them.
        let from = 0;
        for (; logged.length - from > SERIES_RECORD_SLICE; from += SERIES_RECORD_SLICE) {
          const ahead = head.logBatch(logged.slice(from, from + SERIES_RECORD_SLICE), EMPTY, EMPTY, EMPTY, 0);
          if (ahead !== null) pending.push(quiet(ahead));
          await yieldToLoop();
        }
        const rest = from === 0 ? logged : logged.slice(from);
        const histRecords = hists !== null ? encodeHistogramRecords(histogramRefSamples(hists)) : undefined;
        const last = b !== null ? head.logBatch(rest, b.refs, b.ts, b.vs, n, histRecords) : head.logBatch(rest, EMPTY, EMPTY, EMPTY, 0, histRecords);
        if (last !== null) pending.push(quiet(last));
      } catch (err) {
        await Promise.allSettled(pending);
        this.finish(logged, false);
        throw err;
      }
    }
    if (pending.length === 0) {
      this.finish(logged, true);
      return;
    }
    // Batches apply in the order their samples were logged (as a WAL replay would): each waits for the one before.
    const before = head.applyTail;
    let settled!: () => void;
    head.applyTail = new Promise<void>((resolve) => (settled = resolve));
    this.reserve();
    head.inflight.add(this);
    try {
      if (n > SERIES_RECORD_SLICE) await this.precut();
      for (const p of pending) await p;
    } catch (err) {
      await Promise.allSettled(pending);
      try {
        head.inflight.delete(this);
        if (this.b !== null) head.releaseReservations(this.b.series, n);
        if (hists !== null) head.releaseReservations(hists.series, hists.n);
        this.finish(logged, false);
      } finally {
        settled();
      }
      throw err instanceof StorageError ? err : new StorageError('io', (err as Error).message, { cause: err });
    }
    await before;
    try {
      head.inflight.delete(this);
      // A large batch becomes visible in slices (as the head select reads in slices); the next batch waits for all of it.
      if (n > APPLY_SLICE) await this.applySliced();
      this.finish(logged, true);
    } finally {
      settled();
    }
  }

  /** applySliced applies all but the last slice of a large durable batch, giving the event loop away between slices; finish applies the rest. */
  private async applySliced(): Promise<void> {
    const { series, ts, vs } = this.b!;
    let from = this.applied;
    for (; this.n - from > APPLY_SLICE; from += APPLY_SLICE) {
      this.applyRange(series, ts, vs, from, from + APPLY_SLICE, false);
      this.applied = from + APPLY_SLICE;
      await yieldToLoop();
    }
  }

  /**
   * applyRange applies float samples [from, to) with the histograms queued among them, in append order; the last
   * range (final) also applies the histograms queued after the last float sample.
   */
  private applyRange(series: readonly MemSeries[], ts: Float64Array, vs: Float64Array, from: number, to: number, final: boolean): void {
    const head = this.head;
    const hs = this.hists;
    if (hs === null) {
      head.applyBatch(series, ts, vs, to, from);
      return;
    }
    let cur = from;
    for (; this.histApplied < hs.n; this.histApplied++) {
      const k = this.histApplied;
      const at = hs.at[k]!;
      if (at > to || (at === to && !final)) break;
      if (at > cur) {
        head.applyBatch(series, ts, vs, at, cur);
        cur = at;
      }
      head.applyHistogram(hs.series[k]!, hs.t[k]!, hs.h[k], hs.fh[k]);
    }
    if (to > cur) head.applyBatch(series, ts, vs, to, cur);
  }

  /** precut opens, while the WAL write is under way and in slices, the first chunk of the batch's new series, so applying the batch later is short. */
  private async precut(): Promise<void> {
    const { series, ts } = this.b!;
    const o = this.head.opts;
    for (let from = 0; from < this.n; from += SERIES_RECORD_SLICE) {
      const to = Math.min(this.n, from + SERIES_RECORD_SLICE);
      for (let i = from; i < to; i++) series[i]!.precut(ts[i]!, o);
      await yieldToLoop();
    }
  }

  /** seriesToLog lists the series whose record is not durable in the WAL and not yet in this batch, marking them pending for this batch. */
  private seriesToLog(): MemSeries[] {
    const id = this.id;
    const head = this.head;
    const logged: MemSeries[] = [];
    for (const s of this.created) {
      if (!s.walLogged && s.walPending !== id && head.isLive(s.ref)) {
        s.walPending = id;
        logged.push(s);
      }
    }
    const series = this.b?.series;
    for (let i = 0; i < this.n; i++) {
      const s = series![i]!;
      if (!s.walLogged && s.walPending !== id) {
        s.walPending = id;
        logged.push(s);
      }
    }
    const hs = this.hists;
    if (hs !== null) {
      for (const s of hs.series) {
        if (!s.walLogged && s.walPending !== id) {
          s.walPending = id;
          logged.push(s);
        }
      }
    }
    return logged;
  }

  /** reserveAgain re-raises the reservations of this in-flight batch's samples of the given series (after another batch failed). */
  reserveAgain(only: ReadonlySet<MemSeries>): void {
    this.reserve(only);
  }

  /** reserve raises each series' reserved timestamp (of the series in only, when given) to this batch's newest in-order sample. */
  private reserve(only: ReadonlySet<MemSeries> | null = null): void {
    const hs = this.hists;
    if (hs !== null) {
      for (let i = 0; i < hs.n; i++) {
        const s = hs.series[i]!;
        if (only !== null && !only.has(s)) continue;
        if (hs.t[i]! > s.resT) {
          s.resT = hs.t[i]!;
          s.resV = HIST_MARK;
        }
      }
    }
    const b = this.b;
    if (b === null) return;
    const { series, ts, vs } = b;
    for (let i = 0; i < this.n; i++) {
      const s = series[i]!;
      if (only !== null && !only.has(s)) continue;
      const t = ts[i]!;
      if (t > s.resT) {
        s.resT = t;
        s.resV = vs[i]!;
      }
    }
  }

  /** finish applies the batch (when durable) and settles the series records it carried, then frees the appender. */
  private finish(logged: readonly MemSeries[], durable: boolean): void {
    const head = this.head;
    const id = this.id;
    if (durable) {
      if (this.hists !== null) this.applyRange(this.b?.series ?? [], this.b?.ts ?? EMPTY, this.b?.vs ?? EMPTY, this.applied, this.n, true);
      else if (this.b !== null) head.applyBatch(this.b.series, this.b.ts, this.b.vs, this.n, this.applied);
      for (let i = 0; i < this.stSeries.length; i++) {
        const s = this.stSeries[i]!;
        (s.startTs ??= new Map()).set(this.stT[i]!, this.stV[i]!);
      }
      for (const s of logged) s.walLogged = true;
    } else {
      for (const s of logged) if (s.walPending === id) s.walPending = 0;
    }
    head.openApps.delete(id);
    this.reset();
  }

  /** rollback discards the pending samples (series created meanwhile stay until garbage-collected). */
  rollback(): void {
    if (this.head.inflight.has(this)) return;
    this.head.openApps.delete(this.id);
    this.head.aliases.release();
    this.reset();
  }

  /** pendingSeries lists the series this appender holds samples for or created (kept from garbage collection). */
  pendingSeries(): MemSeries[] {
    const out = this.created.slice();
    const series = this.b?.series;
    for (let i = 0; i < this.n; i++) out.push(series![i]!);
    if (this.hists !== null) for (const s of this.hists.series) out.push(s);
    return out;
  }

  private reset(): void {
    const b = this.b;
    if (b !== null) {
      b.clear(this.n);
      this.head.batchPool.give(b);
      this.b = null;
    }
    this.n = 0;
    this.applied = 0;
    this.hists = null;
    this.histApplied = 0;
    this.created = [];
    if (this.stSeries.length > 0) {
      this.stSeries = [];
      this.stT = [];
      this.stV = [];
    }
  }
}

const EMPTY = new Float64Array(0);
/** APPLY_SLICE is how many samples of a durable batch become visible between two turns of the event loop. */
const APPLY_SLICE = 20_000;
/** SERIES_RECORD_SLICE is how many new series one WAL series record carries when a large batch logs them ahead. */
const SERIES_RECORD_SLICE = 5000;

/** quiet marks a promise as handled (it is awaited later), so a rejection meanwhile is not reported as unhandled. */
function quiet(p: Promise<void>): Promise<void> {
  p.catch(() => {});
  return p;
}
const found = new Float64Array(1);

/** histogramRefSamples lists queued histograms as WAL samples. */
function histogramRefSamples(hs: PendingHistograms): RefHistogramSample[] {
  const out: RefHistogramSample[] = [];
  for (let i = 0; i < hs.n; i++) {
    const h = hs.h[i];
    out.push(h !== undefined ? { ref: hs.series[i]!.ref, t: hs.t[i]!, h } : { ref: hs.series[i]!.ref, t: hs.t[i]!, fh: hs.fh[i]! });
  }
  return out;
}
