/**
 * Chunk segment file format (Prometheus tsdb/docs/format/chunks.md):
 * header = magic 0x85BD40DD <4b> | version 1 <1b> | padding <3b>, then chunks, each
 * len(data) <uvarint> | encoding <1b> | data | CRC32C(encoding, data) <4b BE>.
 * A chunk ref is (segment sequence << 32) | offset of the chunk inside its segment.
 */

/** ChunkRef locates a chunk in a block: segment index in the high 32 bits, byte offset in the low 32 bits. */
export type ChunkRef = number;

/** MAGIC_CHUNKS opens every chunk segment file. */
export const MAGIC_CHUNKS = 0x85bd40dd;
/** CHUNKS_FORMAT_V1 is the only segment file version. */
export const CHUNKS_FORMAT_V1 = 1;
/** SEGMENT_HEADER_SIZE is magic + version + 3 padding bytes. */
export const SEGMENT_HEADER_SIZE = 8;
/** DEFAULT_MAX_SEGMENT_SIZE is Prometheus's 512 MiB limit per segment file. */
export const DEFAULT_MAX_SEGMENT_SIZE = 512 * 1024 * 1024;
/** MAX_CHUNK_LEN_FIELD is the largest size of the uvarint length field (Go's MaxVarintLen32). */
export const MAX_CHUNK_LEN_FIELD = 5;
/** CHUNK_OVERHEAD_MAX bounds the bytes a chunk takes besides its data: length, encoding, CRC. */
export const CHUNK_OVERHEAD_MAX = MAX_CHUNK_LEN_FIELD + 1 + 4;

const TWO_32 = 0x100000000;

/** packChunkRef builds a chunk ref from a segment sequence number (0-based) and an offset. */
export function packChunkRef(segment: number, offset: number): ChunkRef {
  return segment * TWO_32 + offset;
}

/** chunkRefSegment is the 0-based segment sequence number of a chunk ref. */
export function chunkRefSegment(ref: ChunkRef): number {
  return Math.floor(ref / TWO_32);
}

/** chunkRefOffset is the byte offset inside its segment of a chunk ref. */
export function chunkRefOffset(ref: ChunkRef): number {
  return ref % TWO_32;
}

/** segmentFileName names the segment with the given 0-based sequence number: 0 -> "000001". */
export function segmentFileName(seq: number): string {
  return String(seq + 1).padStart(6, '0');
}
