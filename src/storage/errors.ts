/** StorageErrorCode classifies why storage refused an operation. */
export type StorageErrorCode =
  | 'out_of_order'
  | 'duplicate_sample'
  | 'out_of_bounds'
  | 'too_old'
  | 'invalid_labels'
  | 'disk_full'
  | 'closed'
  | 'corruption'
  | 'io';

const MESSAGES: Record<StorageErrorCode, string> = {
  out_of_order: 'out of order sample',
  duplicate_sample: 'duplicate sample for timestamp',
  out_of_bounds: 'out of bounds',
  too_old: 'too old sample',
  invalid_labels: 'invalid labels',
  disk_full: 'no space left on device',
  closed: 'storage is closed',
  corruption: 'corruption',
  io: 'i/o error',
};

/** StorageError is a typed storage failure with a stable code and Prometheus's message text. */
export class StorageError extends Error {
  override name = 'StorageError';
  /** code is the stable machine-readable reason. */
  readonly code: StorageErrorCode;

  constructor(code: StorageErrorCode, detail?: string, options?: { cause?: unknown }) {
    super(detail ? `${MESSAGES[code]}: ${detail}` : MESSAGES[code], options);
    this.code = code;
  }
}

/** isStorageError narrows an unknown error to a StorageError, optionally of one code. */
export function isStorageError(err: unknown, code?: StorageErrorCode): err is StorageError {
  return err instanceof StorageError && (code === undefined || err.code === code);
}
