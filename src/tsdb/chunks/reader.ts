import { closeSync, fstatSync, openSync, readdirSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { StorageError } from '../../storage/errors.js';
import { crc32c } from '../encoding/crc32c.js';
import { CHUNKS_FORMAT_V1, MAGIC_CHUNKS, SEGMENT_HEADER_SIZE, chunkRefOffset, chunkRefSegment, type ChunkRef } from './format.js';

/** RawChunk is one chunk as stored: its encoding byte and its data bytes. */
export interface RawChunk {
  readonly encoding: number;
  readonly data: Uint8Array;
}

/** ChunkReaderOptions tune a ChunkSegmentReader. */
export interface ChunkReaderOptions {
  /** wholeFileLimit: segments up to this many bytes are read into memory at open (default 32 MiB). */
  wholeFileLimit?: number;
  /** windowSize is the read-ahead window for larger segments (default 256 KiB). */
  windowSize?: number;
}

interface Segment {
  readonly path: string;
  readonly size: number;
  fd: number;
  /** whole is the file's content when it was small enough to load. */
  whole: Buffer | null;
  window: Buffer | null;
  windowStart: number;
  windowLen: number;
}

/** listSegmentFiles returns the names of the segment files in dir (six-digit names), sorted. */
export function listSegmentFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((n) => /^\d+$/.test(n))
    .sort((a, b) => Number(a) - Number(b));
}

/**
 * ChunkSegmentReader reads chunks by ref from a block's chunks/ directory, checking every
 * chunk's CRC32C. Small segments are held in memory; larger ones are read with pread
 * through a small read-ahead window, since Node has no mmap.
 */
export class ChunkSegmentReader {
  private readonly segments: Segment[] = [];
  private readonly windowSize: number;
  private closed = false;

  constructor(
    readonly dir: string,
    opts: ChunkReaderOptions = {},
  ) {
    const wholeFileLimit = opts.wholeFileLimit ?? 32 * 1024 * 1024;
    this.windowSize = opts.windowSize ?? 256 * 1024;
    let names: string[];
    try {
      names = listSegmentFiles(dir);
    } catch (err) {
      throw new StorageError('corruption', `${dir}: cannot list chunk segments: ${(err as Error).message}`, { cause: err });
    }
    try {
      names.forEach((name, i) => {
        const expected = String(i + 1).padStart(6, '0');
        if (Number(name) !== i + 1) throw new StorageError('corruption', `${join(dir, name)}: segment sequence gap (expected ${expected})`);
        const path = join(dir, name);
        const fd = openSync(path, 'r');
        const size = fstatSync(fd).size;
        const seg: Segment = { path, size, fd, whole: null, window: null, windowStart: 0, windowLen: 0 };
        this.segments.push(seg);
        if (size < SEGMENT_HEADER_SIZE) throw new StorageError('corruption', `${path}: segment too short (${size} bytes)`);
        if (size <= wholeFileLimit) {
          seg.whole = Buffer.allocUnsafe(size);
          readFully(fd, seg.whole, 0);
          closeSync(fd);
          seg.fd = -1;
        }
        const header = seg.whole ?? Buffer.allocUnsafe(SEGMENT_HEADER_SIZE);
        if (!seg.whole) readFully(fd, header.subarray(0, SEGMENT_HEADER_SIZE), 0);
        const magic = header.readUInt32BE(0);
        if (magic !== MAGIC_CHUNKS) throw new StorageError('corruption', `${path}: invalid magic number ${magic.toString(16)}`);
        if (header[4] !== CHUNKS_FORMAT_V1) throw new StorageError('corruption', `${path}: invalid chunk format version ${header[4]}`);
      });
    } catch (err) {
      this.close();
      if (err instanceof StorageError) throw err;
      throw new StorageError('corruption', `${dir}: ${(err as Error).message}`, { cause: err });
    }
  }

  /** segmentCount is the number of segment files. */
  segmentCount(): number {
    return this.segments.length;
  }

  /** sizeBytes is the total size of all segment files. */
  sizeBytes(): number {
    let n = 0;
    for (const s of this.segments) n += s.size;
    return n;
  }

  /** chunk reads the chunk at ref; throws StorageError('corruption') naming the segment on a bad ref or CRC. */
  chunk(ref: ChunkRef): RawChunk {
    if (this.closed) throw new StorageError('closed', `${this.dir}: chunk reader is closed`);
    const segIdx = chunkRefSegment(ref);
    const off = chunkRefOffset(ref);
    const seg = this.segments[segIdx];
    if (!seg) throw new StorageError('corruption', `${this.dir}: chunk ref ${ref} points to segment ${segIdx + 1} which does not exist`);
    if (off < SEGMENT_HEADER_SIZE || off >= seg.size) throw new StorageError('corruption', `${seg.path}: chunk ref ${ref} offset ${off} out of range (size ${seg.size})`);
    // The length field is at most 5 bytes, the encoding 1; read a generous prefix first.
    let buf: Buffer;
    let base: number;
    if (seg.whole) {
      buf = seg.whole;
      base = 0;
    } else {
      ({ buf, base } = this.window(seg, off, 16));
    }
    let p = off - base;
    let len = 0;
    let shift = 1;
    for (let i = 0; ; i++) {
      if (i >= 5 || p >= buf.length) throw new StorageError('corruption', `${seg.path}: chunk ref ${ref}: bad length field`);
      const b = buf[p++]!;
      len += (b & 0x7f) * shift;
      if (b < 0x80) break;
      shift *= 0x80;
    }
    const lenField = p - (off - base);
    const total = lenField + 1 + len + 4;
    if (off + total > seg.size) throw new StorageError('corruption', `${seg.path}: chunk ref ${ref}: chunk of ${len} bytes runs past end of segment`);
    if (!seg.whole) {
      ({ buf, base } = this.window(seg, off, total));
      p = off - base + lenField;
    }
    const encAt = p;
    const dataStart = encAt + 1;
    const dataEnd = dataStart + len;
    const want = buf.readUInt32BE(dataEnd);
    const got = crc32c(buf, encAt, dataEnd);
    if (want !== got) {
      throw new StorageError('corruption', `${seg.path}: chunk ref ${ref} (offset ${off}): checksum mismatch: expected ${hex(want)}, got ${hex(got)}`);
    }
    // Copy out of a reusable window; a view is safe for whole files.
    const data = seg.whole ? buf.subarray(dataStart, dataEnd) : Uint8Array.prototype.slice.call(buf, dataStart, dataEnd);
    return { encoding: buf[encAt]!, data };
  }

  private window(seg: Segment, off: number, need: number): { buf: Buffer; base: number } {
    if (seg.window && off >= seg.windowStart && off + need <= seg.windowStart + seg.windowLen) {
      return { buf: seg.window.subarray(0, seg.windowLen), base: seg.windowStart };
    }
    const size = Math.max(need, this.windowSize);
    if (!seg.window || seg.window.length < size) seg.window = Buffer.allocUnsafe(size);
    const n = Math.min(size, seg.size - off);
    readFully(seg.fd, seg.window.subarray(0, n), off);
    seg.windowStart = off;
    seg.windowLen = n;
    return { buf: seg.window.subarray(0, n), base: off };
  }

  /** close releases file descriptors and buffers. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const s of this.segments) {
      if (s.fd >= 0) closeSync(s.fd);
      s.fd = -1;
      s.whole = null;
      s.window = null;
    }
  }
}

function readFully(fd: number, into: Buffer, position: number): void {
  let off = 0;
  while (off < into.length) {
    const n = readSync(fd, into, off, into.length - off, position + off);
    if (n === 0) throw new Error(`unexpected end of file at ${position + off}`);
    off += n;
  }
}

function hex(n: number): string {
  return n.toString(16).padStart(8, '0');
}
