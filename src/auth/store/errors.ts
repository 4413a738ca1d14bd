/** IamErrorCode is an IAM API error code Amphora answers with. */
export type IamErrorCode =
  | 'NoSuchEntity'
  | 'EntityAlreadyExists'
  | 'MalformedPolicyDocument'
  | 'LimitExceeded'
  | 'DeleteConflict'
  | 'InvalidInput'
  | 'ValidationError'
  | 'AccessDenied'
  | 'InvalidAction'
  | 'MissingAction'
  | 'ServiceFailure'
  | 'NotSupportedService';

const STATUS: Record<IamErrorCode, number> = {
  NoSuchEntity: 404,
  EntityAlreadyExists: 409,
  MalformedPolicyDocument: 400,
  LimitExceeded: 409,
  DeleteConflict: 409,
  InvalidInput: 400,
  ValidationError: 400,
  AccessDenied: 403,
  InvalidAction: 400,
  MissingAction: 400,
  ServiceFailure: 500,
  NotSupportedService: 404,
};

/** IamError is a typed IAM failure; the IAM API renders it as AWS error XML with its HTTP status. */
export class IamError extends Error {
  readonly code: IamErrorCode;
  constructor(code: IamErrorCode, message: string) {
    super(message);
    this.name = 'IamError';
    this.code = code;
  }
  /** status is the HTTP status IAM answers this error with. */
  get status(): number {
    return STATUS[this.code];
  }
}

/** noSuchEntity builds the NoSuchEntity error with IAM's message. */
export function noSuchEntity(message: string): IamError {
  return new IamError('NoSuchEntity', message);
}

/** validationError builds IAM's "1 validation error detected" message for one parameter. */
export function validationError(value: string | null, member: string, constraint: string): IamError {
  const shown = value === null ? 'null' : `'${value}'`;
  return new IamError('ValidationError', `1 validation error detected: Value ${shown} at '${member}' failed to satisfy constraint: ${constraint}`);
}
