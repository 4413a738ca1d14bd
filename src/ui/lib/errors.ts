/** ApiError is a failed API call with the message and type the server sent (AWS error type or Prometheus errorType). */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    message: string,
    readonly status: number,
    readonly type: string,
  ) {
    super(message);
  }
}

/** errorMessage renders anything thrown as one line for the UI. */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) return `${e.type ? `${e.type}: ` : ''}${e.message}`;
  if (e instanceof Error) return e.message;
  return String(e);
}
