/** PromQLErrorKind classifies query failures; the HTTP layer maps each kind to a status code. */
export type PromQLErrorKind = 'bad_data' | 'execution' | 'timeout' | 'canceled' | 'internal';

/** PromQLError is a typed query failure carrying Prometheus's message text. */
export class PromQLError extends Error {
  override name = 'PromQLError';
  /** kind is the stable classification of the failure. */
  readonly kind: PromQLErrorKind;
  constructor(kind: PromQLErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.kind = kind;
  }
}

/** execError builds an execution error (the common case during evaluation). */
export function execError(message: string): PromQLError {
  return new PromQLError('execution', message);
}

/** TOO_MANY_SAMPLES is Prometheus's error text for exceeding the max samples limit. */
export const TOO_MANY_SAMPLES = 'query processing would load too many samples into memory in query execution';
