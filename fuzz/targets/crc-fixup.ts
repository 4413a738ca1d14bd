import { crc32c } from '../../src/tsdb/encoding/crc32c.js';

/**
 * Checksum repair for mutated storage files, so a fuzzed input gets past the CRC checks to the
 * decoding behind them. Every function tolerates any garbage: it repairs what it can find and
 * stops at the first thing it cannot follow.
 */

function be32(b: Uint8Array, p: number): number {
  return ((b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!) >>> 0;
}

function putBe32(b: Uint8Array, p: number, v: number): void {
  b[p] = v >>> 24;
  b[p + 1] = (v >>> 16) & 0xff;
  b[p + 2] = (v >>> 8) & 0xff;
  b[p + 3] = v & 0xff;
}

function uvarint(b: Uint8Array, p: number): { v: number; next: number } | null {
  let v = 0;
  let mul = 1;
  for (let i = 0; i < 10 && p < b.length; i++) {
    const x = b[p++]!;
    v += (x & 0x7f) * mul;
    if (x < 0x80) return { v, next: p };
    mul *= 128;
  }
  return null;
}

/** fixCrcAt sets the CRC32C at `at` over [start, at); false when out of bounds. */
function fixCrcAt(b: Uint8Array, start: number, at: number): boolean {
  if (start < 0 || start > at || at + 4 > b.length) return false;
  putBe32(b, at, crc32c(b, start, at));
  return true;
}

/** fixSection repairs a `len <4b> | body | crc <4b>` section at off and returns the body's bounds. */
function fixSection(b: Uint8Array, off: number): [number, number] | null {
  if (off <= 0 || off + 4 > b.length) return null;
  const start = off + 4;
  const end = start + be32(b, off);
  return fixCrcAt(b, start, end) ? [start, end] : null;
}

/** fixIndexCrcs repairs an index v2 file's section, series, table and TOC checksums in place. */
export function fixIndexCrcs(input: Uint8Array): Uint8Array {
  const b = input.slice();
  if (b.length < 5 + 52) return b;
  const tocStart = b.length - 52;
  const toc: number[] = [];
  for (let i = 0; i < 6; i++) toc.push(be32(b, tocStart + i * 8) * 2 ** 32 + be32(b, tocStart + i * 8 + 4));
  const [symbols, series, labelIndices, labelIndicesTable, postings, postingsTable] = toc as [number, number, number, number, number, number];
  fixSection(b, symbols);
  const seriesEnd = labelIndices || postings || labelIndicesTable || postingsTable;
  for (let pos = series; series > 0 && pos < seriesEnd && pos < b.length; ) {
    if (b[pos] === 0) {
      pos++;
      continue;
    }
    const len = uvarint(b, pos);
    if (len === null || !fixCrcAt(b, len.next, len.next + len.v)) break;
    pos = len.next + len.v + 4;
  }
  for (const table of [labelIndicesTable, postingsTable]) {
    const body = fixSection(b, table);
    if (body === null) continue;
    let p = body[0] + 4;
    for (let i = 0, n = be32(b, body[0]); i < n && p < body[1]; i++) {
      const keys = uvarint(b, p);
      if (keys === null) break;
      p = keys.next;
      for (let k = 0; k < keys.v && p !== -1; k++) {
        const l = uvarint(b, p);
        p = l === null ? -1 : l.next + l.v;
      }
      const off = p === -1 ? null : uvarint(b, p);
      if (off === null) break;
      p = off.next;
      fixSection(b, off.v);
    }
    fixSection(b, table);
  }
  fixCrcAt(b, tocStart, b.length - 4);
  return b;
}

/** fixChunkCrcs repairs the CRC of every chunk of a chunk segment file, walking from the header. */
export function fixChunkCrcs(input: Uint8Array): Uint8Array {
  const b = input.slice();
  for (let p = 8; p < b.length; ) {
    const len = uvarint(b, p);
    if (len === null) break;
    const end = len.next + 1 + len.v;
    if (!fixCrcAt(b, len.next, end)) break;
    p = end + 4;
  }
  return b;
}

/** fixTrailingCrc repairs a file whose last 4 bytes are the CRC32C of [headerLen, end - 4) (tombstones). */
export function fixTrailingCrc(headerLen: number): (input: Uint8Array) => Uint8Array {
  return (input) => {
    const b = input.slice();
    if (b.length >= headerLen + 4) fixCrcAt(b, headerLen, b.length - 4);
    return b;
  };
}
