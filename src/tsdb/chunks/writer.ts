import { closeSync, fsyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { crc32c } from '../encoding/crc32c.js';
import {
  CHUNKS_FORMAT_V1,
  CHUNK_OVERHEAD_MAX,
  DEFAULT_MAX_SEGMENT_SIZE,
  MAGIC_CHUNKS,
  SEGMENT_HEADER_SIZE,
  packChunkRef,
  segmentFileName,
  type ChunkRef,
} from './format.js';

/** ChunkWriterOptions tune a ChunkSegmentWriter. */
export interface ChunkWriterOptions {
  /** maxSegmentSize caps a segment file's size in bytes (default 512 MiB); a larger chunk gets a segment of its own. */
  maxSegmentSize?: number;
  /** bufferSize is the write buffer in bytes (default 1 MiB). */
  bufferSize?: number;
}

/** ChunkSegmentWriter appends chunks to numbered segment files in a block's chunks/ directory. */
export class ChunkSegmentWriter {
  private readonly maxSegmentSize: number;
  private readonly buf: Buffer;
  private bufLen = 0;
  private fd = -1;
  private seq = -1;
  /** pos is the size of the current segment including buffered bytes. */
  private pos = 0;
  private closed = false;
  private readonly head = Buffer.allocUnsafe(8);
  /** bytesWritten counts every byte written to all segments. */
  bytesWritten = 0;

  constructor(
    readonly dir: string,
    opts: ChunkWriterOptions = {},
  ) {
    this.maxSegmentSize = opts.maxSegmentSize ?? DEFAULT_MAX_SEGMENT_SIZE;
    this.buf = Buffer.allocUnsafe(opts.bufferSize ?? 1 << 20);
    mkdirSync(dir, { recursive: true });
  }

  /** write appends one chunk and returns its ref. */
  write(encoding: number, data: Uint8Array): ChunkRef {
    if (this.closed) throw new Error('ChunkSegmentWriter: write after close');
    const size = CHUNK_OVERHEAD_MAX + data.length;
    if (this.fd < 0 || (this.pos > SEGMENT_HEADER_SIZE && this.pos + size > this.maxSegmentSize)) this.cut();
    const ref = packChunkRef(this.seq, this.pos);
    const head = this.head;
    let n = 0;
    let len = data.length;
    while (len >= 0x80) {
      head[n++] = (len & 0x7f) | 0x80;
      len >>>= 7;
    }
    head[n++] = len;
    const encAt = n;
    head[n++] = encoding;
    let crc = crc32c(head, encAt, n);
    crc = crc32c(data, 0, data.length, crc);
    this.put(head.subarray(0, n));
    this.put(data);
    head.writeUInt32BE(crc, 0);
    this.put(head.subarray(0, 4));
    return ref;
  }

  private put(b: Uint8Array): void {
    this.pos += b.length;
    this.bytesWritten += b.length;
    if (this.bufLen + b.length > this.buf.length) this.flush();
    if (b.length > this.buf.length) {
      writeAll(this.fd, b);
      return;
    }
    this.buf.set(b, this.bufLen);
    this.bufLen += b.length;
  }

  private flush(): void {
    if (this.bufLen === 0) return;
    writeAll(this.fd, this.buf.subarray(0, this.bufLen));
    this.bufLen = 0;
  }

  private finishSegment(): void {
    if (this.fd < 0) return;
    this.flush();
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = -1;
  }

  private cut(): void {
    this.finishSegment();
    this.seq++;
    this.fd = openSync(join(this.dir, segmentFileName(this.seq)), 'wx');
    this.pos = 0;
    const header = Buffer.alloc(SEGMENT_HEADER_SIZE);
    header.writeUInt32BE(MAGIC_CHUNKS, 0);
    header[4] = CHUNKS_FORMAT_V1;
    this.put(header);
  }

  /** close flushes and fsyncs the last segment; the writer cannot be used afterwards. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.finishSegment();
  }
}

function writeAll(fd: number, b: Uint8Array): void {
  let off = 0;
  while (off < b.length) off += writeSync(fd, b, off, b.length - off);
}
