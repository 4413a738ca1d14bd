import { labelsEqual, type Labels } from '../../model/labels.js';
import type { Logger } from '../../model/logger.js';
import type { Matcher } from '../../model/matcher.js';
import type { FloatHistogram, Histogram } from '../../model/histogram/types.js';
import { StorageError } from '../../storage/errors.js';
import type { Appendable, Querier, Queryable } from '../../storage/interface.js';
import { postingsForMatchers } from '../postings/matchers.js';
import { encodeSamplesRecord, encodeSeriesRecord, encodeTombstonesRecord, type RefTombstone } from '../wal/records.js';
import { ByteAliases } from './aliases.js';
import { BatchPool } from './batch.js';
import { SeriesColumns } from './columns.js';
import { HeadAppender } from './appender.js';
import type { ChunkSeries } from '../block/writer.js';
import { chunkSeriesOf, selectChunkSeries, type SelectedChunkSeries } from './chunk-series.js';
import { hashLabelStrings } from './hash.js';
import { defaultHeadOptions, validateHeadOptions, type HeadOptions, type HeadWAL } from './options.js';
import { MemPostings } from './postings.js';
import { HeadQuerier } from './querier.js';
import { replayWALInto, type ReplayResult } from './replay.js';
import { MemSeries } from './series.js';
import { estimateSeriesBytes } from './stats.js';

export type { HeadOptions, HeadWAL } from './options.js';
export type { ChunkSeries } from '../block/writer.js';
export type { ReplayResult } from './replay.js';
export { HeadAppender } from './appender.js';

/** HeadStats summarises the head's contents. */
export interface HeadStats {
  numSeries: number;
  numChunks: number;
  numSamplesAppended: number;
  /** numHistogramSamplesAppended counts the native histogram samples among numSamplesAppended. */
  numHistogramSamplesAppended: number;
  /** numHistogramSeries counts the series holding native histogram samples. */
  numHistogramSeries: number;
  numOutOfOrderAppended: number;
  numDroppedAtCommit: number;
  numAliases: number;
  /** chunkDataBytes sums the encoded bytes of all chunks (closed and open). */
  chunkDataBytes: number;
  minTime: number;
  maxTime: number;
  memoryBytesEstimate: number;
}

/**
 * Head is the in-memory part of a TSDB: series with their open and recent XOR chunks, the
 * postings index and the appenders that log to the WAL. Members documented as internal
 * are shared with the head's appender, querier and WAL replay.
 */
export class Head implements Appendable, Queryable {
  /** opts are the resolved options (internal). */
  readonly opts: HeadOptions;
  /** wal receives the head's records (internal; set with setWAL). */
  wal: HeadWAL | null;
  /** postings is the inverted index (internal). */
  readonly postings = new MemPostings();
  /** aliases maps encoded label bytes to refs for the fast path (internal). */
  readonly aliases = new ByteAliases();
  /** openApps holds, by id, the appenders with pending samples or created series until they finish; their series are not garbage-collected (internal). */
  readonly openApps = new Map<number, HeadAppender>();
  /** inflight holds the appenders whose batch is on its way to the WAL, in log order (internal). */
  readonly inflight = new Set<HeadAppender>();
  /** applyTail settles when the last batch logged so far has been applied or has failed; the next one waits for it (internal). */
  applyTail: Promise<void> = Promise.resolve();
  /** batchPool recycles appenders' sample columns (internal). */
  readonly batchPool = new BatchPool();
  /** minValidTime is the oldest timestamp accepted (internal; set with setMinValidTime). */
  minValidTime = -Infinity;
  /** truncatedBefore is the highest truncation point: readers see nothing older (internal). */
  truncatedBefore = -Infinity;

  private readonly cols = new SeriesColumns();
  private readonly byRef: (MemSeries | undefined)[] = [undefined];
  private readonly byHash = new Map<number, MemSeries | MemSeries[]>();
  /** refAlias maps WAL refs of duplicate series records (seen at replay) to the live ref. */
  private readonly refAlias = new Map<number, number>();
  private nextRef = 1;
  private nextAppId = 1;
  private count = 0;
  private minT = Infinity;
  private maxT = -Infinity;
  private samplesAppended = 0;
  private oooAppended = 0;
  private droppedAtCommit = 0;
  private histogramsAppended = 0;

  constructor(opts: Partial<HeadOptions> = {}) {
    const o: HeadOptions = { ...defaultHeadOptions() };
    for (const [k, v] of Object.entries(opts)) if (v !== undefined) (o as unknown as Record<string, unknown>)[k] = v;
    validateHeadOptions(o);
    this.opts = o;
    this.wal = o.wal;
  }

  /** appender opens a batch (a RawAppender with the byte-keyed fast path). */
  appender(): HeadAppender {
    return new HeadAppender(this, this.nextAppId++);
  }

  /** querier reads the head over [mint, maxt] (inclusive). */
  querier(mint: number, maxt: number): Querier {
    return new HeadQuerier(this, mint, maxt);
  }

  /** setWAL sets (or clears) the WAL that commits and deletes log to. */
  setWAL(wal: HeadWAL | null): void {
    this.wal = wal;
  }

  /** setMinValidTime rejects later appends older than t with 'out of bounds' (data before t is in blocks). */
  setMinValidTime(t: number): void {
    if (t > this.minValidTime) this.minValidTime = t;
  }

  /** minTime is the oldest sample's timestamp (clamped to the truncation point), Infinity when empty. */
  minTime(): number {
    return this.minT === Infinity ? Infinity : Math.max(this.minT, this.truncatedBefore);
  }

  /** maxTime is the newest sample's timestamp, -Infinity when empty. */
  maxTime(): number {
    return this.maxT;
  }

  /** numSeries counts the series in the head. */
  numSeries(): number {
    return this.count;
  }

  /** isLive reports whether a series ref (or a WAL alias of one) still exists. */
  isLive(ref: number): boolean {
    if (this.byRef[ref] !== undefined) return true;
    const a = this.refAlias.get(ref);
    return a !== undefined && this.byRef[a] !== undefined;
  }

  /** seriesByRef returns the live series with this ref (internal). */
  seriesByRef(ref: number): MemSeries | undefined {
    return this.byRef[ref];
  }

  /** lastCreated says whether the latest getOrCreate created its series (internal). */
  lastCreated = false;

  /** getOrCreate returns the series with these labels, creating it (validated) when new; lastCreated tells which (internal). */
  getOrCreate(labels: Labels): MemSeries {
    const h = hashLabelStrings(labels);
    const found = this.lookup(h, labels);
    this.lastCreated = found === undefined;
    if (found !== undefined) return found;
    validateLabels(labels);
    return this.insert(this.nextRef++, labels, h);
  }

  /** createWithRef registers a series from a WAL series record; a duplicate labels set is aliased to the existing ref (internal). */
  createWithRef(ref: number, labels: Labels): MemSeries {
    const h = hashLabelStrings(labels);
    const found = this.lookup(h, labels);
    if (found !== undefined) {
      if (found.ref !== ref) this.refAlias.set(ref, found.ref);
      return found;
    }
    const existing = this.byRef[ref];
    if (existing !== undefined) throw new StorageError('corruption', `WAL series ref ${ref} reused for different labels`);
    validateLabels(labels);
    if (ref >= this.nextRef) this.nextRef = ref + 1;
    const s = this.insert(ref, labels, h);
    s.walLogged = true;
    return s;
  }

  /** resolveRef maps a WAL ref (possibly an alias from replay) to a live series (internal). */
  resolveRef(ref: number): MemSeries | undefined {
    const s = this.byRef[ref];
    if (s !== undefined) return s;
    const a = this.refAlias.get(ref);
    return a === undefined ? undefined : this.byRef[a];
  }

  /** logBatch writes the series records of newly logged series and one columnar samples record (internal). */
  logBatch(series: readonly MemSeries[], refs: Float64Array, ts: Float64Array, vs: Float64Array, n: number, histograms?: readonly Uint8Array[]): Promise<void> | null {
    const records: Uint8Array[] = [];
    if (series.length > 0) records.push(encodeSeriesRecord(series));
    if (n > 0) records.push(encodeSamplesRecord(refs, ts, vs, n));
    if (histograms !== undefined) for (const r of histograms) records.push(r);
    if (records.length === 0 || this.wal === null) return null;
    return this.wal.log(records);
  }

  /**
   * releaseReservations undoes the reservations of a batch whose WAL write failed: each of its series
   * falls back to the newest timestamp still reserved by another in-flight batch, if any (internal).
   */
  releaseReservations(series: readonly MemSeries[], n: number): void {
    const touched = new Set<MemSeries>();
    for (let i = 0; i < n; i++) {
      const s = series[i]!;
      if (touched.has(s)) continue;
      touched.add(s);
      s.resT = -Infinity;
      s.resV = 0;
    }
    for (const app of this.inflight) app.reserveAgain(touched);
  }

  /** applyBatch makes committed samples [from, to) visible, re-checking order against samples committed meanwhile (internal). */
  applyBatch(series: readonly MemSeries[], ts: Float64Array, vs: Float64Array, to: number, from = 0): void {
    const o = this.opts;
    let min = this.minT;
    let max = this.maxT;
    let dropped = 0;
    let ooo = 0;
    const minValid = this.minValidTime;
    for (let i = from; i < to; i++) {
      const s = series[i]!;
      const t = ts[i]!;
      if (t < minValid) {
        dropped++;
        continue;
      }
      if (t > s.maxT) {
        s.appendInOrder(t, vs[i]!, o);
      } else if (t === s.maxT || !this.insertOOO(s, t, vs[i]!)) {
        dropped++;
        continue;
      } else {
        ooo++;
      }
      if (t < min) min = t;
      if (t > max) max = t;
    }
    this.minT = min;
    this.maxT = max;
    this.samplesAppended += to - from - dropped;
    this.oooAppended += ooo;
    this.droppedAtCommit += dropped;
  }

  /** applyHistogram makes one committed histogram sample visible; it is dropped when no longer in order (internal). */
  applyHistogram(s: MemSeries, t: number, h: Histogram | undefined, fh: FloatHistogram | undefined): boolean {
    if (t < this.minValidTime || !s.appendHistogramInOrder(t, h, fh)) {
      this.droppedAtCommit++;
      return false;
    }
    if (t < this.minT) this.minT = t;
    if (t > this.maxT) this.maxT = t;
    this.samplesAppended++;
    this.histogramsAppended++;
    return true;
  }

  /** appendReplayedHistogram applies one histogram sample read from the WAL; false when it is dropped (internal). */
  appendReplayedHistogram(s: MemSeries, t: number, h: Histogram | undefined, fh: FloatHistogram | undefined): boolean {
    if (t < this.minValidTime || !s.appendHistogramInOrder(t, h, fh)) return false;
    if (t < this.minT) this.minT = t;
    if (t > this.maxT) this.maxT = t;
    this.samplesAppended++;
    this.histogramsAppended++;
    return true;
  }

  /** appendReplayed applies one sample read from the WAL; false when it is dropped (internal). */
  appendReplayed(s: MemSeries, t: number, v: number): boolean {
    if (t < this.minValidTime) return false;
    if (t > s.maxT) s.appendInOrder(t, v, this.opts);
    else if (t === s.maxT || !this.insertOOO(s, t, v)) return false;
    if (t < this.minT) this.minT = t;
    if (t > this.maxT) this.maxT = t;
    this.samplesAppended++;
    return true;
  }

  private insertOOO(s: MemSeries, t: number, v: number): boolean {
    const w = this.opts.outOfOrderWindow();
    if (w <= 0 || t < s.maxT - w) return false;
    return s.insertOOO(t, v) === 1;
  }

  /** chunkSeries returns, sorted by labels, each series' chunks restricted to [mint, maxt) (the block writer's input). */
  chunkSeries(mint: number, maxt: number): Iterable<ChunkSeries> {
    const all: MemSeries[] = [];
    for (const s of this.byRef) if (s !== undefined) all.push(s);
    return chunkSeriesOf(all, Math.max(mint, this.truncatedBefore), maxt, this.opts.samplesPerChunk);
  }

  /** selectChunks yields the chunks over [mint, maxt] (inclusive) of the series among refs, for remote readers (query workers). */
  selectChunks(mint: number, maxt: number, refs: Iterable<number>): Generator<SelectedChunkSeries> {
    return selectChunkSeries(this, mint, maxt, refs, this.opts.samplesPerChunk);
  }

  /** truncate drops chunks and samples entirely older than mint and series left without data. */
  truncate(mint: number): { removedSeries: number } {
    if (mint > this.truncatedBefore) this.truncatedBefore = mint;
    const removed: MemSeries[] = [];
    let min = Infinity;
    let max = -Infinity;
    const busy = this.busySeries();
    for (const s of this.byRef) {
      if (s === undefined) continue;
      const hasData = s.truncate(mint);
      if (!hasData) {
        if (!busy.has(s)) removed.push(s);
        continue;
      }
      if (s.minT < min) min = s.minT;
      if (s.maxT > max) max = s.maxT;
    }
    for (const s of removed) this.remove(s);
    this.postings.removeAll(removed);
    if (removed.length > 0) {
      this.aliases.retain((ref) => this.byRef[ref] !== undefined);
      for (const [alias, ref] of this.refAlias) if (this.byRef[ref] === undefined) this.refAlias.delete(alias);
    }
    this.minT = min;
    this.maxT = max;
    return { removedSeries: removed.length };
  }

  /** delete records tombstones over [mint, maxt] for matching series with data there, logs them, and returns how many series. */
  async delete(mint: number, maxt: number, matchers: readonly Matcher[]): Promise<number> {
    const stones: RefTombstone[] = [];
    for (const ref of postingsForMatchers(this.postings, matchers)) {
      const s = this.byRef[ref];
      if (s === undefined || s.minT > maxt || s.maxT < mint) continue;
      s.addTombstone(mint, maxt);
      stones.push({ ref, intervals: [{ mint, maxt }] });
    }
    if (stones.length > 0 && this.wal !== null) await this.wal.log([encodeTombstonesRecord(stones)]);
    return stones.length;
  }

  /** replayWAL loads the last checkpoint and the following segments of walDir; a corrupt tail is reported, not thrown. */
  replayWAL(walDir: string, opts: { logger?: Logger } = {}): Promise<ReplayResult> {
    return replayWALInto(this, walDir, opts);
  }

  /** stats summarises the head; memoryBytesEstimate is a model of the heap it holds. */
  stats(): HeadStats {
    let chunks = 0;
    let data = 0;
    let histSeries = 0;
    let bytes = this.postings.bytesEstimate() + this.aliases.bytesUsed() + this.cols.bytesUsed();
    for (const s of this.byRef) {
      if (s === undefined) continue;
      chunks += s.numChunks();
      data += s.chunkDataBytes();
      bytes += estimateSeriesBytes(s);
      if (s.hist !== null) {
        histSeries++;
        // Histogram samples are held as objects; count the chunks Prometheus's head would hold for them.
        chunks += Math.ceil(s.hist.n / this.opts.samplesPerChunk);
      }
    }
    return {
      numSeries: this.count,
      numChunks: chunks,
      numSamplesAppended: this.samplesAppended,
      numHistogramSamplesAppended: this.histogramsAppended,
      numHistogramSeries: histSeries,
      numOutOfOrderAppended: this.oooAppended,
      numDroppedAtCommit: this.droppedAtCommit,
      numAliases: this.aliases.size,
      chunkDataBytes: data,
      minTime: this.minTime(),
      maxTime: this.maxTime(),
      memoryBytesEstimate: bytes,
    };
  }

  /** busySeries collects the series that open or in-flight appenders hold samples for or created. */
  private busySeries(): Set<MemSeries> {
    const busy = new Set<MemSeries>();
    for (const app of this.openApps.values()) for (const s of app.pendingSeries()) busy.add(s);
    return busy;
  }

  private lookup(h: number, labels: Labels): MemSeries | undefined {
    const e = this.byHash.get(h);
    if (e === undefined) return undefined;
    if (!Array.isArray(e)) return labelsEqual(e.labels, labels) ? e : undefined;
    for (const s of e) if (labelsEqual(s.labels, labels)) return s;
    return undefined;
  }

  private insert(ref: number, labels: Labels, h: number): MemSeries {
    const s = new MemSeries(ref, this.postings.add(ref, labels), h, this.cols, this.cols.alloc());
    this.byRef[ref] = s;
    const e = this.byHash.get(h);
    if (e === undefined) this.byHash.set(h, s);
    else if (Array.isArray(e)) e.push(s);
    else this.byHash.set(h, [e, s]);
    this.count++;
    return s;
  }

  private remove(s: MemSeries): void {
    this.byRef[s.ref] = undefined;
    this.cols.release(s.slot);
    s.slot = -1;
    const e = this.byHash.get(s.hash);
    if (e === s) this.byHash.delete(s.hash);
    else if (Array.isArray(e)) {
      const rest = e.filter((x) => x !== s);
      if (rest.length === 0) this.byHash.delete(s.hash);
      else this.byHash.set(s.hash, rest.length === 1 ? rest[0]! : rest);
    }
    this.count--;
  }
}

/** validateLabels rejects empty label sets, unsorted or duplicate names, and empty names or values. */
export function validateLabels(labels: Labels): void {
  if (labels.length === 0) throw new StorageError('invalid_labels', 'empty label set');
  let prev = '';
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i]!;
    if (l.name === '') throw new StorageError('invalid_labels', 'empty label name');
    if (l.value === '') throw new StorageError('invalid_labels', `empty value for label ${JSON.stringify(l.name)}`);
    if (i > 0 && l.name <= prev) {
      throw new StorageError('invalid_labels', l.name === prev ? `duplicate label name ${JSON.stringify(l.name)}` : `labels not sorted at ${JSON.stringify(l.name)}`);
    }
    prev = l.name;
  }
}
