/** Timestamp is milliseconds since the Unix epoch, an integer. */
export type Timestamp = number;

const scratch = new DataView(new ArrayBuffer(8));

/** STALE_NAN_HI and STALE_NAN_LO are the two 32-bit halves of Prometheus's stale marker 0x7ff0000000000002. */
export const STALE_NAN_HI = 0x7ff00000;
/** STALE_NAN_LO is the low half of the stale marker's bits. */
export const STALE_NAN_LO = 0x00000002;

/** STALE_NAN is the special NaN that marks a series as stale. */
export const STALE_NAN: number = (() => {
  scratch.setUint32(0, STALE_NAN_HI);
  scratch.setUint32(4, STALE_NAN_LO);
  return scratch.getFloat64(0);
})();

/**
 * isStaleNaN reports whether v is the stale marker. V8 may set the quiet bit when a
 * NaN passes through a JS array, so the quiet bit is ignored and the payload compared.
 */
export function isStaleNaN(v: number): boolean {
  if (v === v) return false;
  scratch.setFloat64(0, v);
  return (scratch.getUint32(0) & 0x7ff7ffff) === STALE_NAN_HI && scratch.getUint32(4) === STALE_NAN_LO;
}
