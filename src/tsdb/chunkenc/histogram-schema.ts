// Which schemas a histogram chunk may hold (Prometheus's IsKnownSchema).

import { CUSTOM_BUCKETS_SCHEMA } from '../../model/histogram/types.js';
import { EncodingError } from '../encoding/buffers.js';

/** EXPONENTIAL_SCHEMA_MIN_RESERVED and EXPONENTIAL_SCHEMA_MAX_RESERVED bound the schemas a chunk may carry (future-proof range). */
export const EXPONENTIAL_SCHEMA_MIN_RESERVED = -9;
/** EXPONENTIAL_SCHEMA_MAX_RESERVED is the largest exponential schema a chunk may carry. */
export const EXPONENTIAL_SCHEMA_MAX_RESERVED = 52;

/** isKnownSchema reports whether a chunk may hold schema s: custom buckets or a reserved exponential schema. */
export function isKnownSchema(s: number): boolean {
  return s === CUSTOM_BUCKETS_SCHEMA || (s >= EXPONENTIAL_SCHEMA_MIN_RESERVED && s <= EXPONENTIAL_SCHEMA_MAX_RESERVED);
}

/** validateSchema throws EncodingError with Prometheus's text for a schema no chunk may hold. */
export function validateSchema(s: number, what: string): void {
  if (!isKnownSchema(s)) {
    throw new EncodingError(
      `${what}: histogram has an unknown schema, which must be between ${EXPONENTIAL_SCHEMA_MIN_RESERVED} and ${EXPONENTIAL_SCHEMA_MAX_RESERVED} for exponential buckets, or ${CUSTOM_BUCKETS_SCHEMA} for custom buckets, got schema ${s}`,
    );
  }
}
