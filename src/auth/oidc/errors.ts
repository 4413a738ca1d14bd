/** WebIdentityErrorCode is the STS error code of a rejected web identity token. */
export type WebIdentityErrorCode = 'InvalidIdentityToken' | 'ExpiredTokenException' | 'IDPCommunicationError';

/** WebIdentityError is a web identity token STS rejects, with STS's code and message (HTTP 400). */
export class WebIdentityError extends Error {
  readonly code: WebIdentityErrorCode;
  readonly httpStatus = 400;
  constructor(code: WebIdentityErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause !== undefined ? { cause: options.cause } : undefined);
    this.name = 'WebIdentityError';
    this.code = code;
  }
}

/** IDP_COMMUNICATION_MESSAGE is STS's text when the provider's keys cannot be fetched. */
export const IDP_COMMUNICATION_MESSAGE =
  "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements";
