// The third header byte of histogram chunks: its top two bits say whether the chunk starts
// after a counter reset (Prometheus's CounterResetHeader); the other bits are zero.

import { CounterResetHint, type CounterResetHintValue } from '../../model/histogram/types.js';

/** ENCODING_HISTOGRAM is the chunk encoding byte of integer histogram chunks (Prometheus chunkenc.EncHistogram). */
export const ENCODING_HISTOGRAM = 2;
/** ENCODING_FLOAT_HISTOGRAM is the chunk encoding byte of float histogram chunks (Prometheus chunkenc.EncFloatHistogram). */
export const ENCODING_FLOAT_HISTOGRAM = 3;

/** CounterResetHeader holds the values of the header bits (Prometheus's constants of the same names). */
export const CounterResetHeader = {
  /** Unknown: nothing is known about a reset before the chunk's first sample. */
  Unknown: 0b00000000,
  /** CounterReset: the first sample follows a counter reset. */
  CounterReset: 0b10000000,
  /** NotCounterReset: the first sample continues the previous chunk's counter. */
  NotCounterReset: 0b01000000,
  /** Gauge: the chunk holds gauge histograms. */
  Gauge: 0b11000000,
} as const;
/** CounterResetHeaderValue is one of CounterResetHeader's values. */
export type CounterResetHeaderValue = (typeof CounterResetHeader)[keyof typeof CounterResetHeader];

/** COUNTER_RESET_HEADER_MASK selects the header bits of the third byte. */
export const COUNTER_RESET_HEADER_MASK = 0b11000000;
/** HISTOGRAM_HEADER_SIZE is the sample count (2 bytes) plus the flag byte. */
export const HISTOGRAM_HEADER_SIZE = 3;
/** HISTOGRAM_HEADER_BITS is HISTOGRAM_HEADER_SIZE in bits. */
export const HISTOGRAM_HEADER_BITS = 24;

/** readCounterResetHeader is the header of chunk bytes b. */
export function readCounterResetHeader(b: Uint8Array): CounterResetHeaderValue {
  return (b[2]! & COUNTER_RESET_HEADER_MASK) as CounterResetHeaderValue;
}

/** writeCounterResetHeader sets the header bits of chunk bytes b, keeping the others. */
export function writeCounterResetHeader(b: Uint8Array, h: CounterResetHeaderValue): void {
  b[2] = (b[2]! & ~COUNTER_RESET_HEADER_MASK) | (h & COUNTER_RESET_HEADER_MASK);
}

/** headerForHint maps a sample's counter-reset hint to the header of a chunk it opens (Prometheus's CounterResetHintToHeader). */
export function headerForHint(hint: CounterResetHintValue): CounterResetHeaderValue {
  switch (hint) {
    case CounterResetHint.CounterReset:
      return CounterResetHeader.CounterReset;
    case CounterResetHint.NotCounterReset:
      return CounterResetHeader.NotCounterReset;
    case CounterResetHint.Gauge:
      return CounterResetHeader.Gauge;
    default:
      return CounterResetHeader.Unknown;
  }
}

/**
 * sampleHint is the hint a read sample carries (Prometheus's counterResetHint): Gauge in a gauge
 * chunk, NotCounterReset after the first sample, otherwise Unknown (the previous chunk may be gone).
 */
export function sampleHint(header: CounterResetHeaderValue, numRead: number): CounterResetHintValue {
  if (header === CounterResetHeader.Gauge) return CounterResetHint.Gauge;
  if (numRead > 1) return CounterResetHint.NotCounterReset;
  return CounterResetHint.Unknown;
}

/** HistogramAppendError is thrown by an append-only append that would need a new chunk or a recode. */
export class HistogramAppendError extends Error {
  override name = 'HistogramAppendError';
  /** The constructor takes Prometheus's message and a stable code. */
  constructor(
    message: string,
    readonly code: 'counter-reset' | 'schema-change' | 'layout-change',
  ) {
    super(message);
  }
}
