/** ValidationField names one invalid input field, as AMP's ValidationException fieldList does. */
export interface ValidationField {
  readonly name: string;
  readonly message: string;
}

/** ValidationReason is AMP's ValidationExceptionReason. */
export type ValidationReason = 'UNKNOWN_OPERATION' | 'CANNOT_PARSE' | 'FIELD_VALIDATION_FAILED' | 'OTHER';

/** AmpErrorDetail is the closed set of errors the AMP API answers, with their wire members. */
export type AmpErrorDetail =
  | { kind: 'ValidationException'; message: string; reason: ValidationReason; fieldList?: readonly ValidationField[] }
  | { kind: 'ResourceNotFoundException'; message: string; resourceId: string; resourceType: string }
  | { kind: 'ConflictException'; message: string; resourceId: string; resourceType: string }
  | { kind: 'ServiceQuotaExceededException'; message: string; resourceId: string; resourceType: string; serviceCode: string; quotaCode: string }
  | { kind: 'ThrottlingException'; message: string; serviceCode?: string; quotaCode?: string; retryAfterSeconds?: number }
  | { kind: 'AccessDeniedException'; message: string }
  | { kind: 'InternalServerException'; message: string; retryAfterSeconds?: number }
  | { kind: 'NotImplementedException'; message: string };

/** AmpError is a typed AMP API error; the HTTP edge renders it with renderAmpError. */
export class AmpError extends Error {
  constructor(readonly detail: AmpErrorDetail, options?: { cause?: unknown }) {
    super(detail.message, options);
    this.name = detail.kind;
  }
}

/** RenderedAmpError is an error's HTTP status, headers and JSON body. */
export interface RenderedAmpError {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Record<string, unknown>;
}

function assertNever(x: never): never {
  throw new Error(`unexpected error kind ${JSON.stringify(x)}`);
}

/** statusOf is the HTTP status AMP's model assigns to each error. */
export function statusOf(kind: AmpErrorDetail['kind']): number {
  switch (kind) {
    case 'ValidationException':
      return 400;
    case 'ResourceNotFoundException':
      return 404;
    case 'ConflictException':
      return 409;
    case 'ServiceQuotaExceededException':
      return 402;
    case 'ThrottlingException':
      return 429;
    case 'AccessDeniedException':
      return 403;
    case 'InternalServerException':
      return 500;
    case 'NotImplementedException':
      return 501;
    default:
      return assertNever(kind);
  }
}

/** renderAmpError turns an error into AMP's restJson1 error: `x-amzn-errortype` plus a JSON body of the shape's members. */
export function renderAmpError(detail: AmpErrorDetail): RenderedAmpError {
  const { kind, ...members } = detail;
  const headers: Record<string, string> = { 'x-amzn-errortype': kind, 'content-type': 'application/json' };
  const body: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(members)) {
    if (v === undefined) continue;
    if (k === 'retryAfterSeconds') headers['retry-after'] = String(v);
    else body[k] = v;
  }
  return { status: statusOf(kind), headers, body };
}

/** validationError builds a FIELD_VALIDATION_FAILED ValidationException naming the fields. */
export function validationError(fields: readonly ValidationField[]): AmpError {
  const message = fields.map((f) => `${f.name}: ${f.message}`).join('; ');
  return new AmpError({ kind: 'ValidationException', reason: 'FIELD_VALIDATION_FAILED', message: `Invalid input: ${message}`, fieldList: fields });
}

/** notFound builds a ResourceNotFoundException for a resource of a type. */
export function notFound(resourceType: string, resourceId: string, message?: string): AmpError {
  return new AmpError({ kind: 'ResourceNotFoundException', message: message ?? `${resourceType} ${resourceId} not found`, resourceId, resourceType });
}

/** conflict builds a ConflictException for a resource of a type. */
export function conflict(resourceType: string, resourceId: string, message: string): AmpError {
  return new AmpError({ kind: 'ConflictException', message, resourceId, resourceType });
}

/** toAmpError maps any thrown value to an AMP error; unknown errors become InternalServerException. */
export function toAmpError(err: unknown): AmpErrorDetail {
  if (err instanceof AmpError) return err.detail;
  return { kind: 'InternalServerException', message: 'An internal error occurred' };
}
