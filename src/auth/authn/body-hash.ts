import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { BodyTooLargeError } from '../../http/body-limits.js';

/**
 * HashingStream passes a request body through while hashing it with SHA-256 and counting its bytes;
 * past `limit` bytes it fails with a 413 BodyTooLargeError, so no more of the body is buffered.
 * `sha256Hex` is set once the body has ended.
 */
export class HashingStream extends Transform {
  /** sha256Hex is the hex SHA-256 of the whole body, once it has ended. */
  sha256Hex: string | undefined;
  /** bytes is how many body bytes passed so far. */
  bytes = 0;
  private readonly hash: Hash = createHash('sha256');

  constructor(private readonly limit: number = Infinity) {
    super();
  }

  override _transform(chunk: Buffer | string, _enc: BufferEncoding, done: TransformCallback): void {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    this.bytes += b.length;
    if (this.bytes > this.limit) return done(new BodyTooLargeError(this.limit));
    this.hash.update(b);
    done(null, b);
  }

  override _flush(done: TransformCallback): void {
    this.sha256Hex = this.hash.digest('hex');
    done();
  }
}
