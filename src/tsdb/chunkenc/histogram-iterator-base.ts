// What the integer and float histogram chunk decoders share: header, sample count, the layout of
// the first sample, iteration, seek and errors.

import type { Span } from '../../model/histogram/types.js';
import type { SampleIterator } from '../../storage/series.js';
import { EncodingError } from '../encoding/buffers.js';
import { BitReader } from './bstream.js';
import { HISTOGRAM_HEADER_BITS, readCounterResetHeader, type CounterResetHeaderValue } from './histogram-header.js';
import { countSpans, readHistogramLayout } from './histogram-layout.js';
import { validateSchema } from './histogram-schema.js';
import { checkReadEnd } from './varbit.js';
import { newXorField, type XorField } from './xor-value.js';

const EMPTY_SPANS: Span[] = [];

/** HistogramIteratorBase decodes the parts common to both histogram chunk kinds; subclasses decode the samples. */
export abstract class HistogramIteratorBase implements SampleIterator {
  /** br reads the chunk's bit stream. */
  protected readonly br = new BitReader();
  private numTotal = 0;
  private endBit = 0;
  private error: EncodingError | null = null;
  /** header is the chunk's counter-reset header. */
  header: CounterResetHeaderValue = 0;
  /** numRead is the number of samples decoded so far. */
  numRead = 0;

  // Decoder state, read by the appender when it continues a chunk.
  schema = 0;
  zThreshold = 0;
  pSpans: Span[] = EMPTY_SPANS;
  nSpans: Span[] = EMPTY_SPANS;
  customValues: number[] | undefined = undefined;
  t = Number.MIN_SAFE_INTEGER;
  tDelta = 0;
  sum: XorField = newXorField(0, 0);

  /** The constructor takes the chunk kind's name for errors. */
  constructor(protected readonly what: string) {}

  /** reset restarts on chunk bytes buf (header included), of which byteLength belong to the chunk. */
  reset(buf: Uint8Array, byteLength: number = buf.length, view?: DataView): void {
    if (byteLength < 3) throw new EncodingError(`${this.what}: ${byteLength} bytes is shorter than the 3-byte header`);
    this.br.reset(buf, HISTOGRAM_HEADER_BITS, view);
    this.numTotal = (buf[0]! << 8) | buf[1]!;
    this.header = readCounterResetHeader(buf);
    this.endBit = byteLength * 8;
    this.numRead = 0;
    this.error = null;
    this.t = Number.MIN_SAFE_INTEGER;
    this.tDelta = 0;
    this.sum = newXorField(0, 0);
    this.resetSamples();
  }

  /** resetSamples clears the subclass's per-sample state. */
  protected abstract resetSamples(): void;
  /** readFirst decodes sample 0 after the layout; np and nn are the bucket counts. */
  protected abstract readFirst(np: number, nn: number): void;
  /** readNext decodes a later sample. */
  protected abstract readNext(): void;

  /** bitPos is the bit offset (from the chunk's start) right after the last decoded sample. */
  bitPos(): number {
    return this.br.pos;
  }

  /** atT is the current sample's timestamp. */
  atT(): number {
    return this.t;
  }

  /** atV is the current histogram's sum (so a stale marker shows as isStaleNaN(atV())). */
  atV(): number {
    return this.sum.value;
  }

  /** atST is 0: these histogram chunk encodings carry no start timestamps. */
  atST(): number {
    return 0;
  }

  /** err is the decoding error that stopped the iteration, or null. */
  err(): EncodingError | null {
    return this.error;
  }

  /** seek advances to the first sample with timestamp >= t. */
  seek(t: number): boolean {
    if (this.error !== null) return false;
    while (this.numRead === 0 || t > this.t) {
      if (!this.next()) return false;
    }
    return true;
  }

  /** next decodes the next sample; false at the end or on corrupt data (see err). */
  next(): boolean {
    if (this.error !== null || this.numRead >= this.numTotal) return false;
    try {
      if (this.numRead === 0) {
        const l = readHistogramLayout(this.br);
        validateSchema(l.schema, this.what);
        checkReadEnd(this.br, this.endBit, this.what);
        this.schema = l.schema;
        this.zThreshold = l.zeroThreshold;
        this.pSpans = l.positiveSpans;
        this.nSpans = l.negativeSpans;
        this.customValues = l.customValues;
        const np = countSpans(l.positiveSpans);
        const nn = countSpans(l.negativeSpans);
        // Every bucket takes at least one bit: more buckets than bits left is corrupt data, not an allocation to try.
        if (np + nn > this.endBit - this.br.pos) throw new EncodingError(`${this.what}: ${np + nn} buckets do not fit the chunk`);
        this.readFirst(np, nn);
      } else {
        this.readNext();
      }
      checkReadEnd(this.br, this.endBit, this.what);
    } catch (e) {
      this.error = e instanceof EncodingError ? e : new EncodingError(`${this.what}: ${(e as Error).message}`);
      return false;
    }
    this.numRead++;
    return true;
  }
}
