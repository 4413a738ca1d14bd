/** MiB is 2^20 bytes. */
const MiB = 1024 * 1024;

/** BlockUploadLimits bound what one uploaded block may hold. */
export interface BlockUploadLimits {
  /** maxBytes caps the sum of the block's file sizes. */
  maxBytes: number;
  /** maxFileBytes caps one file (a chunk segment is at most 512 MiB in Prometheus). */
  maxFileBytes: number;
  /** maxFiles caps the number of tar members. */
  maxFiles: number;
  /** futureGraceMs lets samples be this far ahead of the clock (clock skew) before the block is refused as from the future. */
  futureGraceMs: number;
}

/** defaultBlockUploadLimits are the default upload bounds: 256 MiB per block, 1,000 members, 10 minutes of clock skew. */
export function defaultBlockUploadLimits(): BlockUploadLimits {
  return { maxBytes: 256 * MiB, maxFileBytes: 256 * MiB, maxFiles: 1000, futureGraceMs: 10 * 60_000 };
}
