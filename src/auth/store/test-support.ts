import { IamError } from './errors.js';

/** iamErrorCode runs fn and returns the IamError code it throws, or 'ok' (other errors propagate). */
export function iamErrorCode(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof IamError) return e.code;
    throw e;
  }
  return 'ok';
}
