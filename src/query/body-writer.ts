import { ApiError } from '../http/prometheus/api-error.js';

const encoder = new TextEncoder();

/** BodyWriterOptions configure a BodyWriter. */
export interface BodyWriterOptions {
  /** maxBytes caps the whole body; passing it throws ApiError('execution') naming the limit. */
  readonly maxBytes: number;
  /** flushBytes is the size of the pieces handed to emit (default 256 KiB). */
  readonly flushBytes?: number;
  /** emit receives each piece; it owns the bytes (they may be transferred). */
  readonly emit: (chunk: Uint8Array) => void;
}

/**
 * BodyWriter turns rendered JSON text, written in small strings, into a stream of byte
 * pieces without ever holding the whole body as one string, and enforces the size cap.
 */
export class BodyWriter {
  private pending: string[] = [];
  private pendingLen = 0;
  private total = 0;
  private readonly flushAt: number;

  constructor(private readonly opts: BodyWriterOptions) {
    this.flushAt = opts.flushBytes ?? 256 * 1024;
  }

  /** write appends text (bound, so it can be passed as a JSONSink). */
  readonly write = (text: string): void => {
    this.pending.push(text);
    this.pendingLen += text.length;
    if (this.pendingLen >= this.flushAt) this.flush();
  };

  /** bytes is the number of bytes emitted so far. */
  get bytes(): number {
    return this.total;
  }

  /** flush emits what is pending. */
  flush(): void {
    if (this.pendingLen === 0) return;
    const chunk = encoder.encode(this.pending.join(''));
    this.pending = [];
    this.pendingLen = 0;
    this.total += chunk.length;
    if (this.total > this.opts.maxBytes) {
      throw new ApiError('execution', `the query result exceeds the response size limit of ${this.opts.maxBytes} bytes (query.maxResultBytes); narrow the query or its time range`);
    }
    this.opts.emit(chunk);
  }
}
