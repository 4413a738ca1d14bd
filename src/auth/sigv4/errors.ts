/** SigV4ErrorCode is the AWS error code a failed authentication answers with. */
export type SigV4ErrorCode =
  | 'IncompleteSignature'
  | 'InvalidSignatureException'
  | 'SignatureDoesNotMatch'
  | 'MissingAuthenticationToken'
  | 'InvalidClientTokenId'
  | 'ExpiredToken'
  | 'RequestExpired'
  | 'AccessDenied'
  | 'XAmzContentSHA256Mismatch'
  | 'NotImplemented'
  | 'ServiceUnavailable';

const STATUS: Record<SigV4ErrorCode, number> = {
  IncompleteSignature: 400,
  InvalidSignatureException: 403,
  SignatureDoesNotMatch: 403,
  MissingAuthenticationToken: 403,
  InvalidClientTokenId: 403,
  ExpiredToken: 403,
  RequestExpired: 403,
  AccessDenied: 403,
  XAmzContentSHA256Mismatch: 400,
  NotImplemented: 501,
  ServiceUnavailable: 503,
};

/** SigV4Error is a failed SigV4 authentication, with AWS's code, message and HTTP status. */
export class SigV4Error extends Error {
  readonly code: SigV4ErrorCode;
  readonly httpStatus: number;
  /** detail carries the server's canonical request and string to sign on a mismatch (no secrets), for debugging clients. */
  readonly detail?: { canonicalRequest: string; stringToSign: string };
  constructor(code: SigV4ErrorCode, message: string, options?: { cause?: unknown; detail?: { canonicalRequest: string; stringToSign: string } }) {
    super(message, options?.cause !== undefined ? { cause: options.cause } : undefined);
    if (options?.detail) this.detail = options.detail;
    this.name = 'SigV4Error';
    this.code = code;
    this.httpStatus = STATUS[code];
  }
}

/** SIGNATURE_MISMATCH_MESSAGE is AWS's text for a signature that does not verify. */
export const SIGNATURE_MISMATCH_MESSAGE =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

/** invalidClientTokenId is the error for an unknown access key id (raised by the identity store). */
export function invalidClientTokenId(): SigV4Error {
  return new SigV4Error('InvalidClientTokenId', 'The security token included in the request is invalid.');
}

/** expiredToken is the error for an expired session token (raised by the identity store). */
export function expiredToken(): SigV4Error {
  return new SigV4Error('ExpiredToken', 'The security token included in the request is expired');
}
