/** ByteSource reads exact byte counts from an async stream of chunks (a request body, a file). */
export class ByteSource {
  private readonly it: AsyncIterator<Uint8Array>;
  private buf: Buffer = Buffer.alloc(0);
  private done = false;
  /** consumed is how many bytes were handed out so far. */
  consumed = 0;

  constructor(source: AsyncIterable<Uint8Array>) {
    this.it = source[Symbol.asyncIterator]();
  }

  /** fill reads until at least n bytes are buffered or the stream ends; returns how many are buffered. */
  private async fill(n: number): Promise<number> {
    while (this.buf.length < n && !this.done) {
      const r = await this.it.next();
      if (r.done) {
        this.done = true;
        break;
      }
      const chunk = Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength);
      this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    }
    return Math.min(this.buf.length, n);
  }

  /** read returns exactly n bytes, or fewer only when the stream ended first. */
  async read(n: number): Promise<Buffer> {
    const have = await this.fill(n);
    const out = this.buf.subarray(0, have);
    this.buf = this.buf.subarray(have);
    this.consumed += have;
    return out;
  }

  /** readUpTo returns between 1 and max bytes (what is buffered, or the next chunk), or an empty buffer at the end. */
  async readUpTo(max: number): Promise<Buffer> {
    if (this.buf.length === 0) await this.fill(1);
    return this.read(Math.min(max, this.buf.length));
  }
}
