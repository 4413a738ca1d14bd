import { compressSync } from 'snappy';
import { grownBuffer } from '../encoding/buffers.js';
import { crc32c } from '../encoding/crc32c.js';
import { FRAG_FIRST, FRAG_FULL, FRAG_LAST, FRAG_MIDDLE, FRAG_SNAPPY, PAGE_SIZE, RECORD_HEADER_SIZE, type WALCompression } from './format.js';

/** Span is a run of pending bytes [start, end) destined for segment seg at file offset fileOffset. */
export interface Span {
  seg: number;
  fileOffset: number;
  start: number;
  end: number;
}

/** PendingBatch is what the encoder hands to the writer: bytes and where they go. */
export interface PendingBatch {
  buf: Buffer;
  spans: Span[];
}

/**
 * FragmentEncoder lays records out in Prometheus's page format (32 KiB pages, 7-byte
 * fragment headers, records never crossing a segment) into an in-memory pending buffer,
 * tracking the logical end position (segment, offset) of the log. It does no I/O. With snappy
 * compression a record is stored compressed when that makes it smaller (as Prometheus does),
 * every one of its fragments flagged with FRAG_SNAPPY.
 */
export class FragmentEncoder {
  private buf: Buffer;
  private spare: Buffer;
  private len = 0;
  private spans: Span[] = [];
  /** seg is the segment the next byte goes to. */
  seg: number;
  /** off is the offset in seg of the next byte (never leaves < 7 free bytes in a page). */
  off: number;

  constructor(
    private readonly segmentSize: number,
    seg: number,
    off: number,
    private readonly compression: WALCompression = 'none',
  ) {
    if (segmentSize % PAGE_SIZE !== 0 || segmentSize <= 0) throw new RangeError(`segment size ${segmentSize} is not a positive multiple of ${PAGE_SIZE}`);
    this.seg = seg;
    this.off = off;
    this.buf = Buffer.allocUnsafe(4 * PAGE_SIZE);
    this.spare = Buffer.allocUnsafe(4 * PAGE_SIZE);
  }

  /** pendingBytes is how many bytes wait to be written. */
  pendingBytes(): number {
    return this.len;
  }

  /** hasPending reports whether there are bytes or segment starts to write. */
  hasPending(): boolean {
    return this.spans.length > 0;
  }

  private ensure(n: number): void {
    if (this.len + n > this.buf.length) this.buf = grownBuffer(this.buf, this.len, this.len + n);
  }

  /** span returns the span for the current segment, starting one if needed. */
  private span(): Span {
    const last = this.spans[this.spans.length - 1];
    if (last !== undefined && last.seg === this.seg) return last;
    const s: Span = { seg: this.seg, fileOffset: this.off, start: this.len, end: this.len };
    this.spans.push(s);
    return s;
  }

  private zeros(n: number): void {
    const sp = this.span();
    this.ensure(n);
    this.buf.fill(0, this.len, this.len + n);
    this.len += n;
    this.off += n;
    sp.end = this.len;
  }

  /** padPage zero-fills the rest of the current page when it holds data. */
  padPage(): void {
    const p = this.off % PAGE_SIZE;
    if (p !== 0) this.zeros(PAGE_SIZE - p);
  }

  /** nextSegment pads the current page and moves to a new segment; it returns the new number. */
  nextSegment(): number {
    this.padPage();
    this.seg++;
    this.off = 0;
    this.span();
    return this.seg;
  }

  /** add appends one record, fragmenting it over pages and starting a new segment when it does not fit in this one. */
  add(record: Uint8Array): void {
    let rec = record;
    let flag = 0;
    if (this.compression === 'snappy' && rec.length > 0) {
      const c = compressSync(rec);
      if (c.length < rec.length) {
        rec = c;
        flag = FRAG_SNAPPY;
      }
    }
    const n = rec.length;
    const pagesPerSegment = this.segmentSize / PAGE_SIZE;
    const donePages = Math.floor(this.off / PAGE_SIZE);
    const pageOff = this.off % PAGE_SIZE;
    const left = PAGE_SIZE - pageOff - RECORD_HEADER_SIZE + (PAGE_SIZE - RECORD_HEADER_SIZE) * (pagesPerSegment - donePages - 1);
    // Prometheus starts a new segment when the record does not fit; an empty segment takes any record.
    if (n > left && this.off > 0) this.nextSegment();
    const sp = this.span();
    const fragments = Math.max(1, Math.ceil(n / (PAGE_SIZE - RECORD_HEADER_SIZE)) + 1);
    this.ensure(n + fragments * RECORD_HEADER_SIZE + PAGE_SIZE);
    const buf = this.buf;
    let p = 0;
    let i = 0;
    do {
      const room = PAGE_SIZE - (this.off % PAGE_SIZE) - RECORD_HEADER_SIZE;
      const l = Math.min(n - p, room);
      const last = p + l === n;
      const type = i === 0 ? (last ? FRAG_FULL : FRAG_FIRST) : last ? FRAG_LAST : FRAG_MIDDLE;
      const h = this.len;
      buf[h] = type | flag;
      buf[h + 1] = l >>> 8;
      buf[h + 2] = l & 0xff;
      const crc = crc32c(rec, p, p + l);
      buf[h + 3] = crc >>> 24;
      buf[h + 4] = (crc >>> 16) & 0xff;
      buf[h + 5] = (crc >>> 8) & 0xff;
      buf[h + 6] = crc & 0xff;
      buf.set(p === 0 && l === n ? rec : rec.subarray(p, p + l), h + RECORD_HEADER_SIZE);
      this.len += RECORD_HEADER_SIZE + l;
      this.off += RECORD_HEADER_SIZE + l;
      p += l;
      i++;
      const rem = PAGE_SIZE - (this.off % PAGE_SIZE);
      if (rem < RECORD_HEADER_SIZE) {
        buf.fill(0, this.len, this.len + rem);
        this.len += rem;
        this.off += rem;
      }
    } while (p < n);
    sp.end = this.len;
  }

  /** take hands over the pending bytes and spans and starts an empty pending buffer (double-buffered, so the batch stays valid until the next take). */
  take(): PendingBatch {
    const batch: PendingBatch = { buf: this.buf.subarray(0, this.len), spans: this.spans };
    const prev = this.buf;
    this.buf = this.spare;
    this.spare = prev;
    this.len = 0;
    this.spans = [];
    return batch;
  }

  /** resetTo drops everything pending and moves the log end back to (seg, off), after a failed write. */
  resetTo(seg: number, off: number): void {
    this.len = 0;
    this.spans = [];
    this.seg = seg;
    this.off = off;
  }
}
