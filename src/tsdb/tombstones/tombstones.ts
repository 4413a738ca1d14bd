import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StorageError } from '../../storage/errors.js';
import { writeFileAtomic } from '../block/fsutil.js';
import { ByteReader, ByteWriter } from '../encoding/buffers.js';
import { crc32c } from '../encoding/crc32c.js';
import { addInterval, type Interval, type Intervals } from './intervals.js';

/**
 * Tombstones file format (Prometheus tsdb/docs/format/tombstones.md):
 * magic 0x0130BA30 <4b> | version 1 <1b> | entries | CRC32C(entries) <4b>,
 * each entry series ref <uvarint64> | mint <varint64> | maxt <varint64>, one per interval.
 */

/** TOMBSTONES_FILENAME is the file's name inside a block directory. */
export const TOMBSTONES_FILENAME = 'tombstones';
/** MAGIC_TOMBSTONES opens every tombstones file. */
export const MAGIC_TOMBSTONES = 0x0130ba30;
/** TOMBSTONES_FORMAT_V1 is the only tombstones format version. */
export const TOMBSTONES_FORMAT_V1 = 1;
const HEADER_SIZE = 5;

/** TombstoneReader gives the deleted intervals of each series of one block. */
export interface TombstoneReader {
  /** get returns the deleted intervals of a series, or an empty list. */
  get(ref: number): Intervals;
  /** forEach visits series with tombstones in ascending ref order. */
  forEach(fn: (ref: number, ivs: Intervals) => void): void;
  /** total counts intervals over all series (meta.json's numTombstones). */
  total(): number;
  /** seriesCount is the number of series with tombstones. */
  seriesCount(): number;
}

const NONE: Intervals = Object.freeze([]) as Intervals;

/** MemTombstones is an in-memory, mutable tombstone set. */
export class MemTombstones implements TombstoneReader {
  private readonly m = new Map<number, Intervals>();

  /** get returns the deleted intervals of a series, or an empty list. */
  get(ref: number): Intervals {
    return this.m.get(ref) ?? NONE;
  }

  /** addInterval merges an interval into the series' list. */
  addInterval(ref: number, iv: Interval): void {
    this.m.set(ref, addInterval(this.get(ref), iv));
  }

  /** forEach visits series in ascending ref order. */
  forEach(fn: (ref: number, ivs: Intervals) => void): void {
    for (const ref of [...this.m.keys()].sort((a, b) => a - b)) fn(ref, this.m.get(ref)!);
  }

  /** total counts intervals over all series. */
  total(): number {
    let n = 0;
    for (const ivs of this.m.values()) n += ivs.length;
    return n;
  }

  /** seriesCount is the number of series with tombstones. */
  seriesCount(): number {
    return this.m.size;
  }

  /** clone copies the set. */
  clone(): MemTombstones {
    const c = new MemTombstones();
    for (const [k, v] of this.m) c.m.set(k, v);
    return c;
  }
}

/** encodeTombstones serialises tombstones into the file format. */
export function encodeTombstones(tr: TombstoneReader): Buffer {
  const w = new ByteWriter(64);
  w.putBE32(MAGIC_TOMBSTONES);
  w.putByte(TOMBSTONES_FORMAT_V1);
  tr.forEach((ref, ivs) => {
    for (const iv of ivs) {
      w.putUvarint(ref);
      w.putVarint(iv.mint);
      w.putVarint(iv.maxt);
    }
  });
  const crc = crc32c(w.bytes(), HEADER_SIZE, w.len);
  w.putBE32(crc);
  return Buffer.from(w.bytes());
}

/** decodeTombstones parses a tombstones file; name is used in error messages. Throws StorageError('corruption'). */
export function decodeTombstones(buf: Buffer, name: string): MemTombstones {
  if (buf.length < HEADER_SIZE + 4) throw new StorageError('corruption', `${name}: tombstones file too short (${buf.length} bytes)`);
  const magic = buf.readUInt32BE(0);
  if (magic !== MAGIC_TOMBSTONES) throw new StorageError('corruption', `${name}: invalid tombstones magic ${magic.toString(16)}`);
  if (buf[4] !== TOMBSTONES_FORMAT_V1) throw new StorageError('corruption', `${name}: invalid tombstones format version ${buf[4]}`);
  const end = buf.length - 4;
  const want = buf.readUInt32BE(end);
  const got = crc32c(buf, HEADER_SIZE, end);
  if (want !== got) throw new StorageError('corruption', `${name}: tombstones checksum mismatch`);
  const out = new MemTombstones();
  const r = new ByteReader(buf, HEADER_SIZE, end);
  try {
    while (r.remaining() > 0) {
      const ref = r.uvarint();
      const mint = r.varint();
      const maxt = r.varint();
      out.addInterval(ref, { mint, maxt });
    }
  } catch (err) {
    throw new StorageError('corruption', `${name}: ${(err as Error).message}`, { cause: err });
  }
  return out;
}

/** readTombstones reads <dir>/tombstones; a missing file means no tombstones. Returns the set and the file size. */
export function readTombstones(dir: string): { tombstones: MemTombstones; size: number } {
  const path = join(dir, TOMBSTONES_FILENAME);
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { tombstones: new MemTombstones(), size: 0 };
    throw new StorageError('io', `${path}: ${(err as Error).message}`, { cause: err });
  }
  return { tombstones: decodeTombstones(buf, path), size: buf.length };
}

/** writeTombstones atomically replaces <dir>/tombstones (tmp file, fsync, rename, dir fsync); returns the size written. */
export function writeTombstones(dir: string, tr: TombstoneReader): number {
  const path = join(dir, TOMBSTONES_FILENAME);
  const buf = encodeTombstones(tr);
  writeFileAtomic(path, buf);
  return buf.length;
}
