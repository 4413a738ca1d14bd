import type { FloatHistogram, Histogram } from '../model/histogram/types.js';
import type { Labels } from '../model/labels.js';
import type { Matcher } from '../model/matcher.js';
import type { SeriesSet } from './series.js';

/** SeriesRef identifies a series inside one appendable; 0 means "not known yet". */
export type SeriesRef = number;

/** SelectHints tell a querier what the caller will read, so it can avoid decoding the rest. */
export interface SelectHints {
  /** start is the first timestamp (ms, inclusive) the caller needs. */
  readonly start: number;
  /** end is the last timestamp (ms, inclusive) the caller needs. */
  readonly end: number;
  /** step is the query resolution in ms, when evaluating a range query. */
  readonly step?: number;
  /** func is the PromQL function wrapped around the selector, if any. */
  readonly func?: string;
  /** range is the range selector's duration in ms, if any. */
  readonly range?: number;
}

/** LabelHints bound label name/value listings. */
export interface LabelHints {
  /** limit caps the number of results; 0 or absent means no limit. */
  readonly limit?: number;
}

/** Querier reads series and label index data over a fixed time range. */
export interface Querier {
  /** select returns the series matching all matchers, sorted by labels when sorted is true. */
  select(sorted: boolean, hints: SelectHints | undefined, matchers: readonly Matcher[]): SeriesSet;
  /** labelValues lists the sorted distinct values of a label among series matching the matchers. */
  labelValues(name: string, matchers: readonly Matcher[], hints?: LabelHints): string[];
  /** labelNames lists the sorted distinct label names among series matching the matchers. */
  labelNames(matchers: readonly Matcher[], hints?: LabelHints): string[];
  /** close releases what the querier holds. */
  close(): void;
}

/** Queryable hands out queriers over a time range [mint, maxt] in ms, both inclusive. */
export interface Queryable {
  /** querier opens a querier for [mint, maxt]. */
  querier(mint: number, maxt: number): Querier;
}

/** Appender batches samples; nothing is visible or durable before commit resolves. */
export interface Appender {
  /**
   * append adds a sample for the series given by ref (when non-zero and still valid) or
   * else by labels; returns the series' ref for later appends. Throws StorageError for a
   * rejected sample (out of order, duplicate, out of bounds); the rest of the batch is kept.
   */
  append(ref: SeriesRef, labels: Labels, t: number, v: number): SeriesRef;
  /**
   * appendST is append with the sample's start timestamp st (ms; 0 means unknown), for storages that keep start
   * timestamps; absent on those that do not.
   */
  appendST?(ref: SeriesRef, labels: Labels, t: number, st: number, v: number): SeriesRef;
  /**
   * appendHistogram adds a native histogram sample: h (integer) or fh (float), exactly one given; a stale
   * marker is a histogram whose sum is the stale NaN. Absent on storages without native histograms.
   */
  appendHistogram?(ref: SeriesRef, labels: Labels, t: number, h: Histogram | undefined, fh: FloatHistogram | undefined): SeriesRef;
  /** commit makes the batch durable (WAL fsync) and visible; resolves once it is acknowledged. */
  commit(): Promise<void>;
  /** rollback discards the batch. */
  rollback(): void;
}

/** Appendable hands out appenders. */
export interface Appendable {
  /** appender opens a new batch. */
  appender(): Appender;
}

/**
 * RawAppender is the ingest fast path: it resolves a series it has seen before from its
 * encoded label bytes (for instance the label fields of a remote-write TimeSeries),
 * without building label objects.
 */
export interface RawAppender extends Appender {
  /** refForBytes returns the series ref registered for exactly these bytes, or 0. */
  refForBytes(buf: Uint8Array, start: number, end: number): SeriesRef;
  /** registerBytes remembers that these bytes encode the series ref (call after append with labels). */
  registerBytes(buf: Uint8Array, start: number, end: number, ref: SeriesRef): void;
}
