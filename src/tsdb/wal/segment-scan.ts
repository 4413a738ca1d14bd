import { open } from 'node:fs/promises';
import { uncompressSync } from 'snappy';
import { grownBuffer } from '../encoding/buffers.js';
import { crc32c } from '../encoding/crc32c.js';
import {
  FRAG_FIRST,
  FRAG_FULL,
  FRAG_LAST,
  FRAG_MIDDLE,
  FRAG_PAGE_TERM,
  FRAG_SNAPPY,
  FRAG_TYPE_MASK,
  FRAG_ZSTD,
  PAGE_SIZE,
  RECORD_HEADER_SIZE,
} from './format.js';

/** SegmentScan is the outcome of reading one segment file. */
export interface SegmentScan {
  /** size is the file size in bytes. */
  size: number;
  /** goodOffset is the end of the last complete, valid record (where a repair truncates). */
  goodOffset: number;
  /** records is how many records were delivered. */
  records: number;
  /** compressed is how many of them were stored snappy-compressed. */
  compressed: number;
  /** error describes the first torn or corrupt spot, if any; nothing after it was delivered. */
  error?: { offset: number; message: string };
}

const CHUNK_PAGES = 32;

/** decompress undoes a record's snappy compression (block format); a string is the decoder's complaint. */
function decompress(data: Buffer): Buffer | string {
  try {
    return uncompressSync(data, { asBuffer: true }) as Buffer;
  } catch (err) {
    return `snappy decode error: ${(err as Error).message}`;
  }
}

/**
 * scanSegment reads a segment file page by page, checks every fragment (type sequence,
 * length, CRC32-Castagnoli, zero padding) and calls onRecord with each reassembled record.
 * Snappy-compressed records (FRAG_SNAPPY) are decompressed. The Buffer passed to onRecord is only valid during the call. It stops at the first
 * torn or corrupt fragment and reports it instead of throwing; I/O errors are thrown.
 */
export async function scanSegment(path: string, onRecord: (rec: Buffer) => void): Promise<SegmentScan> {
  const fh = await open(path, 'r');
  try {
    const size = (await fh.stat()).size;
    const chunk = Buffer.allocUnsafe(Math.max(PAGE_SIZE, Math.min(CHUNK_PAGES * PAGE_SIZE, Math.ceil(size / PAGE_SIZE) * PAGE_SIZE)));
    let asm = Buffer.allocUnsafe(PAGE_SIZE);
    let asmLen = 0;
    let inRecord = false;
    let recSnappy = false;
    let recStart = 0;
    let goodOffset = 0;
    let records = 0;
    let compressed = 0;
    let fileOff = 0;
    const fail = (offset: number, message: string): SegmentScan => ({ size, goodOffset, records, compressed, error: { offset, message } });
    const append = (start: number, end: number): void => {
      const len = end - start;
      if (asmLen + len > asm.length) asm = grownBuffer(asm, asmLen, asmLen + len);
      chunk.copy(asm, asmLen, start, end);
      asmLen += len;
    };
    for (;;) {
      let n = 0;
      while (n < chunk.length) {
        const { bytesRead } = await fh.read(chunk, n, chunk.length - n, fileOff + n);
        if (bytesRead === 0) break;
        n += bytesRead;
      }
      const eof = n < chunk.length;
      for (let pageStart = 0; pageStart < n; pageStart += PAGE_SIZE) {
        const pageEnd = Math.min(pageStart + PAGE_SIZE, n);
        const partialPage = pageEnd - pageStart < PAGE_SIZE;
        let pos = pageStart;
        while (pos < pageEnd) {
          const at = fileOff + pos;
          const hdr = chunk[pos]!;
          const type = hdr & FRAG_TYPE_MASK;
          if (type === FRAG_PAGE_TERM) {
            for (let k = pos + 1; k < pageEnd; k++) {
              if (chunk[k] !== 0) return fail(goodOffset, `unexpected non-zero byte in padded page at ${fileOff + k}`);
            }
            break;
          }
          if (hdr & FRAG_ZSTD) return fail(goodOffset, `zstd-compressed record fragment at ${at}: only snappy WAL compression is supported`);
          const snappy = (hdr & FRAG_SNAPPY) !== 0;
          if (hdr & ~(FRAG_TYPE_MASK | FRAG_SNAPPY | FRAG_ZSTD)) return fail(goodOffset, `invalid fragment header byte 0x${hdr.toString(16)} at ${at}`);
          if (pos + RECORD_HEADER_SIZE > pageEnd) {
            return fail(goodOffset, partialPage ? `torn fragment header at ${at}` : `fragment header crosses page boundary at ${at}`);
          }
          const len = (chunk[pos + 1]! << 8) | chunk[pos + 2]!;
          const crc = chunk.readUInt32BE(pos + 3);
          if (len > PAGE_SIZE - RECORD_HEADER_SIZE) return fail(goodOffset, `invalid fragment size ${len} at ${at}`);
          const dataStart = pos + RECORD_HEADER_SIZE;
          const dataEnd = dataStart + len;
          if (dataEnd > pageEnd) {
            return fail(goodOffset, partialPage ? `torn fragment at ${at}: ${len} bytes announced, ${pageEnd - dataStart} present` : `fragment crosses page boundary at ${at}`);
          }
          const got = crc32c(chunk, dataStart, dataEnd);
          if (got !== crc) return fail(goodOffset, `fragment checksum mismatch at ${at}: computed ${got.toString(16)}, stored ${crc.toString(16)}`);
          switch (type) {
            case FRAG_FULL: {
              if (inRecord) return fail(goodOffset, `unexpected full fragment at ${at} inside a record`);
              const rec = snappy ? decompress(chunk.subarray(dataStart, dataEnd)) : chunk.subarray(dataStart, dataEnd);
              if (typeof rec === 'string') return fail(goodOffset, `record at ${at}: ${rec}`);
              records++;
              if (snappy) compressed++;
              onRecord(rec);
              goodOffset = fileOff + dataEnd;
              break;
            }
            case FRAG_FIRST:
              if (inRecord) return fail(goodOffset, `unexpected first fragment at ${at} inside a record`);
              inRecord = true;
              recSnappy = snappy;
              recStart = at;
              asmLen = 0;
              append(dataStart, dataEnd);
              break;
            case FRAG_MIDDLE:
            case FRAG_LAST:
              if (!inRecord) return fail(goodOffset, `unexpected ${type === FRAG_MIDDLE ? 'middle' : 'last'} fragment at ${at} outside a record`);
              if (snappy !== recSnappy) return fail(goodOffset, `fragment at ${at} disagrees with its record's first fragment on snappy compression`);
              append(dataStart, dataEnd);
              if (type === FRAG_LAST) {
                inRecord = false;
                const rec = snappy ? decompress(asm.subarray(0, asmLen)) : asm.subarray(0, asmLen);
                if (typeof rec === 'string') return fail(goodOffset, `record starting at ${recStart}: ${rec}`);
                records++;
                if (snappy) compressed++;
                onRecord(rec);
                goodOffset = fileOff + dataEnd;
              }
              break;
            default:
              return fail(goodOffset, `invalid fragment type ${type} at ${at}`);
          }
          pos = dataEnd;
        }
      }
      fileOff += n;
      if (eof) break;
    }
    if (inRecord) return fail(goodOffset, `last record is torn: it starts at ${recStart} and has no last fragment`);
    return { size, goodOffset, records, compressed };
  } finally {
    await fh.close();
  }
}
