/**
 * Index file format v2 (Prometheus tsdb/docs/format/index.md), as Prometheus 2.42 writes it:
 * header (magic 0xBAAAD700, version 2), symbol table, series (16-byte aligned, ref =
 * offset/16), label indices (4-byte aligned), postings (4-byte aligned, the all-series list
 * under ('', '') first), label offset table, postings offset table, TOC (6 x be64 + CRC).
 * Every section is `len <4b> | body | CRC32C(body) <4b>`; series entries use a uvarint len.
 */
import type { ChunkRef } from '../chunks/format.js';

/** MAGIC_INDEX opens every index file. */
export const MAGIC_INDEX = 0xbaaad700;
/** INDEX_FORMAT_V2 is the index version Amphora writes and reads. */
export const INDEX_FORMAT_V2 = 2;
/** INDEX_HEADER_LEN is magic + version. */
export const INDEX_HEADER_LEN = 5;
/** INDEX_TOC_LEN is six be64 section offsets plus the CRC. */
export const INDEX_TOC_LEN = 6 * 8 + 4;
/** SERIES_ALIGN is the alignment of series entries; a series ref is its offset divided by it. */
export const SERIES_ALIGN = 16;
/** INDEX_FILENAME is the index file's name inside a block directory. */
export const INDEX_FILENAME = 'index';

/** ChunkMeta is a chunk's time range (first and last sample, inclusive) and location, as the index stores it. */
export interface ChunkMeta {
  readonly mint: number;
  readonly maxt: number;
  readonly ref: ChunkRef;
}

/** TOC holds the offsets of the index sections (0 = section absent). */
export interface TOC {
  readonly symbols: number;
  readonly series: number;
  readonly labelIndices: number;
  readonly labelIndicesTable: number;
  readonly postings: number;
  readonly postingsTable: number;
}

/**
 * compareUtf8 orders strings by their UTF-8 bytes, as Go does (differs from UTF-16 order only
 * for code points >= U+10000 against U+E000..U+FFFF). Symbols and postings tables need it
 * because Prometheus binary-searches them.
 */
export function compareUtf8(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}
