import type { Labels } from '../../model/labels.js';
import { StorageError } from '../../storage/errors.js';
import type { RawAppender, SeriesRef } from '../../storage/interface.js';
import type { Head } from './head.js';
import type { BatchBuffers } from './batch.js';
import { sameBits } from './ooo.js';
import type { MemSeries } from './series.js';

/**
 * HeadAppender batches samples for the head in columnar typed arrays (no per-sample
 * objects). Samples are checked at append time against the series' committed state and
 * this batch's own pending samples; they become visible, and are logged to the WAL, on commit.
 */
export class HeadAppender implements RawAppender {
  private n = 0;
  private b: BatchBuffers | null = null;
  private created: MemSeries[] = [];
  /** stSeries/stT/stV list this batch's samples given a start timestamp (rare: kept out of the columnar batch). */
  private stSeries: MemSeries[] = [];
  private stT: number[] = [];
  private stV: number[] = [];

  constructor(
    private readonly head: Head,
    private readonly id: number,
  ) {}

  /** append queues one sample; throws StorageError for a rejected sample (the rest of the batch is kept). */
  append(ref: SeriesRef, labels: Labels, t: number, v: number): SeriesRef {
    const head = this.head;
    let s = ref !== 0 ? head.seriesByRef(ref) : undefined;
    if (s === undefined) {
      const r = head.getOrCreate(labels);
      s = r.series;
      if (r.created) this.created.push(s);
    }
    if (t < head.minValidTime) throw new StorageError('out_of_bounds');
    if (!Number.isSafeInteger(t)) throw new StorageError('out_of_bounds', `timestamp ${t} is not an integer number of milliseconds`);
    const id = this.id;
    let maxT = s.maxT;
    let lastV = s.lastV;
    if (s.pendApp === id && s.pendT > maxT) {
      maxT = s.pendT;
      lastV = s.pendV;
    }
    if (t > maxT) {
      s.pendApp = id;
      s.pendT = t;
      s.pendV = v;
    } else if (t === maxT) {
      if (sameBits(v, lastV)) return s.ref;
      throw new StorageError('duplicate_sample');
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
      head.openApps.add(id);
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

  /** commit logs the batch to the WAL, makes it visible, and resolves once the WAL has it durably. */
  async commit(): Promise<void> {
    const head = this.head;
    const n = this.n;
    head.openApps.delete(this.id);
    head.aliases.release();
    let logged: MemSeries[] = [];
    let pending: Promise<void> | null = null;
    try {
      if (head.wal !== null) {
        for (const s of this.created) {
          if (!s.walLogged && head.isLive(s.ref)) {
            s.walLogged = true;
            logged.push(s);
          }
        }
        for (let i = 0; i < n; i++) {
          const s = this.b!.series[i]!;
          if (!s.walLogged) {
            s.walLogged = true;
            logged.push(s);
          }
        }
        if (n > 0 || logged.length > 0) {
          const b = this.b;
          pending = b !== null ? head.logBatch(logged, b.refs, b.ts, b.vs, n) : head.logBatch(logged, EMPTY, EMPTY, EMPTY, 0);
        }
      }
      if (this.b !== null) head.applyBatch(this.b.series, this.b.ts, this.b.vs, n);
      for (let i = 0; i < this.stSeries.length; i++) {
        const s = this.stSeries[i]!;
        (s.startTs ??= new Map()).set(this.stT[i]!, this.stV[i]!);
      }
    } catch (err) {
      for (const s of logged) s.walLogged = false;
      this.reset();
      throw err;
    }
    this.reset();
    if (pending === null) return;
    try {
      await pending;
    } catch (err) {
      for (const s of logged) s.walLogged = false;
      logged = [];
      throw err instanceof StorageError ? err : new StorageError('io', (err as Error).message, { cause: err });
    }
  }

  /** rollback discards the pending samples (series created meanwhile stay until garbage-collected). */
  rollback(): void {
    this.head.openApps.delete(this.id);
    this.head.aliases.release();
    this.reset();
  }

  private reset(): void {
    const b = this.b;
    if (b !== null) {
      b.clear(this.n);
      this.head.batchPool.give(b);
      this.b = null;
    }
    this.n = 0;
    this.created = [];
    if (this.stSeries.length > 0) {
      this.stSeries = [];
      this.stT = [];
      this.stV = [];
    }
  }
}

const EMPTY = new Float64Array(0);
const found = new Float64Array(1);
