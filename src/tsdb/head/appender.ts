import type { Labels } from '../../model/labels.js';
import { StorageError } from '../../storage/errors.js';
import type { RawAppender, SeriesRef } from '../../storage/interface.js';
import type { Head } from './head.js';
import { sameBits } from './ooo.js';
import type { MemSeries } from './series.js';

/**
 * HeadAppender batches samples for the head in columnar typed arrays (no per-sample
 * objects). Samples are checked at append time against the series' committed state and
 * this batch's own pending samples; they become visible, and are logged to the WAL, on commit.
 */
export class HeadAppender implements RawAppender {
  private n = 0;
  private refs = new Float64Array(256);
  private ts = new Float64Array(256);
  private vs = new Float64Array(256);
  private series: MemSeries[] = [];
  private created: MemSeries[] = [];

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
      if (s.ooo !== null) {
        const i = s.ooo.find(t);
        if (i >= 0) {
          if (sameBits(s.ooo.v[i]!, v)) return s.ref;
          throw new StorageError('duplicate_sample');
        }
      }
      if (s.pendApp !== id) {
        s.pendApp = id;
        s.pendT = -Infinity;
      }
    }
    const n = this.n;
    if (n === 0) head.openApps.add(id);
    if (n === this.ts.length) this.grow();
    this.refs[n] = s.ref;
    this.ts[n] = t;
    this.vs[n] = v;
    this.series[n] = s;
    this.n = n + 1;
    return s.ref;
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
          const s = this.series[i]!;
          if (!s.walLogged) {
            s.walLogged = true;
            logged.push(s);
          }
        }
        pending = head.logBatch(logged, this.refs, this.ts, this.vs, n);
      }
      head.applyBatch(this.series, this.ts, this.vs, n);
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
    this.reset();
  }

  private reset(): void {
    this.series.fill(undefined as unknown as MemSeries, 0, this.n);
    this.n = 0;
    this.created = [];
  }

  private grow(): void {
    const cap = this.ts.length * 2;
    const refs = new Float64Array(cap);
    const ts = new Float64Array(cap);
    const vs = new Float64Array(cap);
    refs.set(this.refs);
    ts.set(this.ts);
    vs.set(this.vs);
    this.refs = refs;
    this.ts = ts;
    this.vs = vs;
  }
}
