import { randomUUID } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import type { ErrorShape } from '../../http/route-auth.js';
import { SigV4Error, type SigV4ErrorCode } from '../sigv4/errors.js';

/** JSON_TYPES maps an authentication code to the restJson1 error type (x-amzn-errortype) AMP clients parse. */
const JSON_TYPES: Record<SigV4ErrorCode, string> = {
  IncompleteSignature: 'IncompleteSignatureException',
  InvalidSignatureException: 'InvalidSignatureException',
  SignatureDoesNotMatch: 'InvalidSignatureException',
  MissingAuthenticationToken: 'MissingAuthenticationTokenException',
  InvalidClientTokenId: 'UnrecognizedClientException',
  ExpiredToken: 'ExpiredTokenException',
  RequestExpired: 'InvalidSignatureException',
  AccessDenied: 'AccessDeniedException',
  XAmzContentSHA256Mismatch: 'InvalidSignatureException',
  NotImplemented: 'NotImplementedException',
  ServiceUnavailable: 'ServiceUnavailableException',
};

/** XML_CODES maps an authentication code to the query-protocol (IAM/STS) error code. */
const XML_CODES: Record<SigV4ErrorCode, string> = {
  IncompleteSignature: 'IncompleteSignature',
  InvalidSignatureException: 'SignatureDoesNotMatch',
  SignatureDoesNotMatch: 'SignatureDoesNotMatch',
  MissingAuthenticationToken: 'MissingAuthenticationToken',
  InvalidClientTokenId: 'InvalidClientTokenId',
  ExpiredToken: 'ExpiredToken',
  RequestExpired: 'RequestExpired',
  AccessDenied: 'AccessDenied',
  XAmzContentSHA256Mismatch: 'XAmzContentSHA256Mismatch',
  NotImplemented: 'NotImplemented',
  ServiceUnavailable: 'ServiceUnavailable',
};

/** QUERY_NAMESPACES are the XML namespaces of the query-protocol services. */
export const QUERY_NAMESPACES = {
  iam: 'https://iam.amazonaws.com/doc/2010-05-08/',
  sts: 'https://sts.amazonaws.com/doc/2011-06-15/',
} as const;

/** QueryService is a service answering in the query protocol. */
export type QueryService = keyof typeof QUERY_NAMESPACES;

/** xmlEscape escapes text for an XML element or attribute. */
export function xmlEscape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&apos;'));
}

/** errorResponseXml renders the query-protocol ErrorResponse document (Type Sender for 4xx, Receiver for 5xx). */
export function errorResponseXml(service: QueryService, code: string, message: string, status: number, requestId: string): string {
  return (
    `<ErrorResponse xmlns="${QUERY_NAMESPACES[service]}">\n  <Error>\n    <Type>${status >= 500 ? 'Receiver' : 'Sender'}</Type>\n` +
    `    <Code>${xmlEscape(code)}</Code>\n    <Message>${xmlEscape(message)}</Message>\n  </Error>\n` +
    `  <RequestId>${requestId}</RequestId>\n</ErrorResponse>\n`
  );
}

/** accessDenied builds the AccessDenied failure for a principal, action and resource, with AWS's message. */
export function accessDenied(principalArn: string, action: string, resource: string, why: 'implicit' | 'explicit' | 'explicit-resource' | 'none' = 'none'): SigV4Error {
  const on = resource === '*' ? '' : ` on resource: ${resource}`;
  const suffix =
    why === 'explicit'
      ? ' with an explicit deny in an identity-based policy'
      : why === 'explicit-resource'
        ? ' with an explicit deny in a resource-based policy'
      : why === 'implicit'
        ? ` because no identity-based policy allows the ${action} action`
        : '';
  return new SigV4Error('AccessDenied', `User: ${principalArn} is not authorized to perform: ${action}${on}${suffix}`);
}

/** sendAuthError renders an authentication or authorisation failure in the route's error shape. */
export function sendAuthError(reply: FastifyReply, shape: ErrorShape, err: SigV4Error, service: QueryService = 'sts'): FastifyReply {
  const requestId = randomUUID();
  reply.code(err.httpStatus).header('x-amzn-requestid', requestId);
  switch (shape) {
    case 'aws-json':
      return reply.header('x-amzn-errortype', JSON_TYPES[err.code]).type('application/json').send({ message: err.message });
    case 'aws-xml':
      return reply.type('text/xml').send(errorResponseXml(service, XML_CODES[err.code], err.message, err.httpStatus, requestId));
    case 'prometheus':
      return reply
        .header('x-amzn-errortype', JSON_TYPES[err.code])
        .type('application/json')
        .send({ status: 'error', errorType: JSON_TYPES[err.code], error: err.message });
    default:
      return assertNever(shape);
  }
}

function assertNever(x: never): never {
  throw new Error(`unhandled error shape ${String(x)}`);
}
