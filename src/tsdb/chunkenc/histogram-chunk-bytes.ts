// The byte handling both histogram chunk kinds share: a 3-byte header (sample count, counter-reset
// flags) then a bit stream; either wrapped read-only bytes or a growable writer.

import { EncodingError } from '../encoding/buffers.js';
import { BitWriter, viewOf, writerFromPrefix } from './bstream.js';
import {
  HISTOGRAM_HEADER_BITS,
  HISTOGRAM_HEADER_SIZE,
  readCounterResetHeader,
  writeCounterResetHeader,
  type CounterResetHeaderValue,
} from './histogram-header.js';

/** HistogramChunkBytes holds a histogram chunk's bytes: wrapped (read-only until appended to) or owned and growable. */
export class HistogramChunkBytes {
  /** w holds the bytes once writable. */
  w: BitWriter | null;
  /** data is the wrapped read-only bytes (null once writable). */
  data: Uint8Array | null;
  private dataView: DataView | null = null;

  /** The constructor wraps data (not copied) or starts an empty chunk; what names the chunk kind in errors. */
  constructor(data: Uint8Array | undefined, capacity: number, what: string) {
    if (data === undefined) {
      this.w = new BitWriter(new Uint8Array(Math.max(16, capacity)), HISTOGRAM_HEADER_BITS);
      this.data = null;
    } else {
      if (data.length < HISTOGRAM_HEADER_SIZE) {
        throw new EncodingError(`${what}: ${data.length} bytes is shorter than the ${HISTOGRAM_HEADER_SIZE}-byte header`);
      }
      this.w = null;
      this.data = data;
    }
  }

  /** buf is the buffer holding the chunk from offset 0. */
  buf(): Uint8Array {
    return this.data ?? this.w!.buf;
  }

  /** bytes is the chunk's exact bytes (a view). */
  bytes(): Uint8Array {
    return this.data ?? this.w!.bytes();
  }

  /** byteLength is bytes().length. */
  byteLength(): number {
    return this.data !== null ? this.data.length : this.w!.byteLength();
  }

  /** view is a DataView over buf(). */
  view(): DataView {
    if (this.data !== null) return (this.dataView ??= viewOf(this.data));
    return this.w!.view();
  }

  /** numSamples is the sample count of the header. */
  numSamples(): number {
    const b = this.buf();
    return (b[0]! << 8) | b[1]!;
  }

  /** setNumSamples writes the sample count (the chunk must be writable). */
  setNumSamples(n: number): void {
    const b = this.w!.buf;
    b[0] = n >>> 8;
    b[1] = n & 0xff;
  }

  /** counterResetHeader is the header's counter-reset flags. */
  counterResetHeader(): CounterResetHeaderValue {
    return readCounterResetHeader(this.buf());
  }

  /** setCounterResetHeader sets the flags (on wrapped bytes too: they are written in place). */
  setCounterResetHeader(h: CounterResetHeaderValue): void {
    writeCounterResetHeader(this.buf(), h);
  }

  /** isEmptyWritable reports a writable chunk with no sample written. */
  isEmptyWritable(): boolean {
    return this.data === null && this.w!.bitLen === HISTOGRAM_HEADER_BITS;
  }

  /** makeWritable copies wrapped bytes into an owned buffer ending at bit bitPos. */
  makeWritable(bitPos: number): void {
    if (this.data === null) return;
    this.w = writerFromPrefix(this.data, bitPos);
    this.data = null;
    this.dataView = null;
  }

  /** compact drops spare capacity. */
  compact(): void {
    this.w?.compact();
  }
}

/** HistogramBytesHolder gives chunks and appenders the sample count and header of the bytes they share. */
export class HistogramBytesHolder {
  /** The constructor takes the bytes. */
  constructor(protected readonly b: HistogramChunkBytes) {}

  /** numSamples is the number of samples in the chunk. */
  numSamples(): number {
    return this.b.numSamples();
  }

  /** counterResetHeader is the chunk's counter-reset header. */
  counterResetHeader(): CounterResetHeaderValue {
    return this.b.counterResetHeader();
  }

  /** setCounterResetHeader sets the chunk's counter-reset header. */
  setCounterResetHeader(h: CounterResetHeaderValue): void {
    this.b.setCounterResetHeader(h);
  }
}

/** HistogramChunkBase is what both histogram chunk classes share: bytes, sample count, header. */
export abstract class HistogramChunkBase extends HistogramBytesHolder {
  /** The constructor wraps data (not copied) or starts an empty chunk of capacity bytes; what names the kind in errors. */
  constructor(data: Uint8Array | undefined, capacity: number, what: string) {
    super(new HistogramChunkBytes(data, capacity, what));
  }

  /** encoding is the chunk's encoding byte. */
  abstract encoding(): number;

  /** bytes is the exact Prometheus chunk data, a view: copy it to keep it. */
  bytes(): Uint8Array {
    return this.b.bytes();
  }

  /** byteLength is bytes().length. */
  byteLength(): number {
    return this.b.byteLength();
  }

  /** compact releases spare capacity (call when the chunk is complete). */
  compact(): void {
    this.b.compact();
  }

  /** prepareAppend runs it over every sample (to continue appending) and makes the bytes writable; false when the chunk is empty. */
  protected prepareAppend(it: { next(): boolean; err(): Error | null; numRead: number; bitPos(): number }): boolean {
    while (it.next()) {
      // decode to the end to learn the encoder state
    }
    const err = it.err();
    if (err !== null) throw err;
    if (it.numRead === 0) {
      this.b.makeWritable(HISTOGRAM_HEADER_BITS);
      return false;
    }
    this.b.makeWritable(it.bitPos());
    return true;
  }
}
