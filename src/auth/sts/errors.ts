/** StsError is an STS (or query-protocol) failure with AWS's code, message and HTTP status. */
export class StsError extends Error {
  readonly code: string;
  readonly httpStatus: number;
  constructor(code: string, message: string, httpStatus = 400) {
    super(message);
    this.name = 'StsError';
    this.code = code;
    this.httpStatus = httpStatus;
  }
}

/** validationError is STS's ValidationError for one bad parameter. */
export function validationError(value: string | null, field: string, constraint: string): StsError {
  const v = value === null ? 'null' : `'${value}'`;
  return new StsError('ValidationError', `1 validation error detected: Value ${v} at '${field}' failed to satisfy constraint: ${constraint}`);
}
