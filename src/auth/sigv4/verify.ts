import { timingSafeEqual } from 'node:crypto';
import { formatAmzDate, parseAmzDate } from './amzdate.js';
import {
  canonicalHeaders,
  canonicalPath,
  canonicalQueryForms,
  canonicalRequest,
  sha256Hex,
  signatureHex,
  signingKey,
  stringToSign,
  UNSIGNED_PAYLOAD,
  EMPTY_SHA256,
} from './canonical.js';
import { uriDecode } from './encode.js';
import { SIGNATURE_MISMATCH_MESSAGE, SigV4Error, type SigV4ErrorCode } from './errors.js';
import { firstHeader, type ParsedAuth } from './parse.js';
import type { SigV4Request } from './request.js';
import { truncateEcho } from './redact.js';

export { parseAuthorization, type ParsedAuth } from './parse.js';
export { SigV4Error } from './errors.js';
export type { SigV4Request } from './request.js';

/** VerifyOptions configure verifySignature. */
export interface VerifyOptions {
  now: () => number;
  expectedRegion: string;
  /** allowedServices are the credential-scope services this endpoint answers for, e.g. ['aps'] or ['iam', 'sts']. */
  allowedServices: readonly string[];
  /** skewMs is the allowed clock difference for header-signed requests (default 5 minutes). */
  skewMs?: number;
  /** protocol picks AWS's error code family: 'json' (restJson/awsJson: InvalidSignatureException) or 'query' (IAM/STS: SignatureDoesNotMatch). Default 'json'. */
  protocol?: 'json' | 'query';
  /** presignDefaultExpiresSec applies to presigned requests without X-Amz-Expires (default 900). */
  presignDefaultExpiresSec?: number;
  /** allowUnsignedPayload accepts x-amz-content-sha256 UNSIGNED-PAYLOAD (S3 only at AWS; aps, iam and sts always hash the body). Default false. */
  allowUnsignedPayload?: boolean;
}

/** DEFAULT_SKEW_MS is the clock skew AWS tolerates for signed requests. */
export const DEFAULT_SKEW_MS = 5 * 60 * 1000;

const HEX64 = /^[0-9a-fA-F]{64}$/;

function badSig(opts: VerifyOptions, message: string, detail?: { canonicalRequest: string; stringToSign: string }): SigV4Error {
  const code: SigV4ErrorCode = opts.protocol === 'query' ? 'SignatureDoesNotMatch' : 'InvalidSignatureException';
  return new SigV4Error(code, message, detail ? { detail } : undefined);
}

function declaredPayloadHash(req: SigV4Request, auth: ParsedAuth): string | undefined {
  const h = firstHeader(req.headers, 'x-amz-content-sha256');
  if (h !== undefined || !auth.presigned) return h?.trim();
  for (const part of req.query.split('&')) {
    if (part.toLowerCase().startsWith('x-amz-content-sha256=')) return uriDecode(part.slice(part.indexOf('=') + 1), true);
  }
  return undefined;
}

function hasNoBody(req: SigV4Request): boolean {
  const cl = firstHeader(req.headers, 'content-length');
  return firstHeader(req.headers, 'transfer-encoding') === undefined && (cl === undefined || cl.trim() === '0');
}

/** UNSIGNED_PAYLOAD_REFUSED is the message for UNSIGNED-PAYLOAD on a service that always hashes the body it receives. */
const UNSIGNED_PAYLOAD_REFUSED = `${SIGNATURE_MISMATCH_MESSAGE} (x-amz-content-sha256 UNSIGNED-PAYLOAD is accepted by S3 only; sign the SHA-256 of the body)`;

/**
 * headerPayloadHash returns the payload hash known from the headers alone: the declared
 * x-amz-content-sha256 (checked for form; UNSIGNED-PAYLOAD only when opts.allowUnsignedPayload), the
 * empty body's hash for a request without a body, or null when only the body can tell.
 */
function headerPayloadHash(req: SigV4Request, auth: ParsedAuth, opts: VerifyOptions): string | null {
  const declared = declaredPayloadHash(req, auth);
  if (declared !== undefined) {
    if (declared === UNSIGNED_PAYLOAD) {
      if (opts.allowUnsignedPayload) return declared;
      throw badSig(opts, UNSIGNED_PAYLOAD_REFUSED);
    }
    if (declared.startsWith('STREAMING-')) {
      throw new SigV4Error('NotImplemented', `x-amz-content-sha256 '${declared.slice(0, 64)}' (aws-chunked payload signing) is not supported; sign the whole body`);
    }
    if (!HEX64.test(declared)) {
      throw new SigV4Error('IncompleteSignature', 'x-amz-content-sha256 must be UNSIGNED-PAYLOAD or a valid sha256 value.');
    }
    return declared;
  }
  return hasNoBody(req) ? EMPTY_SHA256 : null;
}

/** contentSha256Mismatch is AWS's error for a body whose SHA-256 differs from the declared x-amz-content-sha256. */
export function contentSha256Mismatch(): SigV4Error {
  return new SigV4Error('XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.");
}

/** payloadHash returns the payload hash that goes into the canonical request, after checking a whole body against x-amz-content-sha256. */
function payloadHash(req: SigV4Request, auth: ParsedAuth, opts: VerifyOptions): string {
  const declared = declaredPayloadHash(req, auth) !== undefined ? headerPayloadHash(req, auth, opts) : null;
  if (declared !== null) {
    if (declared !== UNSIGNED_PAYLOAD && req.body !== null && sha256Hex(req.body) !== declared.toLowerCase()) throw contentSha256Mismatch();
    return declared;
  }
  if (req.body !== null) return sha256Hex(req.body);
  if (hasNoBody(req)) return EMPTY_SHA256;
  throw new SigV4Error('IncompleteSignature', 'x-amz-content-sha256 is required when the request body is streamed; send the SHA-256 of the body');
}

/** streamedBodyHash returns the body hash the caller must check after reading a streamed body (body: null), or null when there is nothing to check. */
export function streamedBodyHash(req: SigV4Request): string | null {
  if (req.body !== null) return null;
  const h = firstHeader(req.headers, 'x-amz-content-sha256')?.trim();
  return h !== undefined && HEX64.test(h) ? h.toLowerCase() : null;
}

function checkScopeAndTime(auth: ParsedAuth, opts: VerifyOptions): void {
  if (auth.region !== opts.expectedRegion) {
    throw badSig(opts, `Credential should be scoped to a valid region, not '${truncateEcho(auth.region)}'. `);
  }
  if (!opts.allowedServices.includes(auth.service)) {
    throw badSig(opts, `Credential should be scoped to correct service: '${opts.allowedServices[0] ?? ''}'. `);
  }
  const t = parseAmzDate(auth.amzDate);
  if (t === null) {
    throw new SigV4Error('IncompleteSignature', `X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'", got '${truncateEcho(auth.amzDate)}'`);
  }
  if (auth.date !== auth.amzDate.slice(0, 8)) {
    throw badSig(
      opts,
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${truncateEcho(auth.date)}' != '${auth.amzDate.slice(0, 8)}', from '${truncateEcho(auth.amzDate)}'.`,
    );
  }
  const now = opts.now();
  const skew = opts.skewMs ?? DEFAULT_SKEW_MS;
  const mins = `${Math.round(skew / 60000)} min.`;
  if (t > now + skew) {
    throw badSig(opts, `Signature not yet current: ${auth.amzDate} is still later than ${formatAmzDate(now + skew)} (${formatAmzDate(now)} + ${mins})`);
  }
  if (auth.presigned) {
    const expires = auth.expiresSec ?? opts.presignDefaultExpiresSec ?? 900;
    if (now > t + expires * 1000) throw new SigV4Error('RequestExpired', 'Request has expired');
  } else if (t < now - skew) {
    throw badSig(opts, `Signature expired: ${auth.amzDate} is now earlier than ${formatAmzDate(now - skew)} (${formatAmzDate(now)} - ${mins})`);
  }
}

function checkSignedHeaders(req: SigV4Request, auth: ParsedAuth, opts: VerifyOptions): void {
  const signed = auth.signedHeaders;
  const source = auth.dateSource ?? (auth.presigned ? 'query' : firstHeader(req.headers, 'x-amz-date') !== undefined ? 'x-amz-date' : 'date');
  if (!signed.includes('host') && !signed.includes(':authority')) {
    throw badSig(opts, "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }
  if (source === 'x-amz-date' && !signed.includes('x-amz-date')) {
    throw badSig(opts, "'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization.");
  }
  if (source === 'date' && !signed.includes('date')) {
    throw badSig(opts, "'Date' must be a 'SignedHeader' in the AWS Authorization.");
  }
}

function safeEqualHex(a: string, b: string): boolean {
  const ab = Buffer.from(a, 'latin1');
  const bb = Buffer.from(b, 'latin1');
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

/**
 * verifySignature checks scope, time window / presign expiry, required signed headers (host, and
 * x-amz-date when given), body hash (x-amz-content-sha256, else sha256 of the whole body; UNSIGNED-PAYLOAD
 * only with opts.allowUnsignedPayload), and the signature in constant time. Throws SigV4Error.
 */
export function verifySignature(req: SigV4Request, auth: ParsedAuth, secretAccessKey: string, opts: VerifyOptions): void {
  checkScopeAndTime(auth, opts);
  checkSignedHeaders(req, auth, opts);
  checkSignature(req, auth, secretAccessKey, opts, payloadHash(req, auth, opts));
}

/** HeaderVerdict is what verifyBeforeBody learnt: verified with the body hash to check as it streams, or deferred until the body is hashed. */
export type HeaderVerdict =
  | { readonly kind: 'verified'; /** bodySha256 is the hash the streamed body must have (lower-case hex), or null for UNSIGNED-PAYLOAD. */ readonly bodySha256: string | null }
  | { readonly kind: 'deferred' };

/**
 * verifyBeforeBody checks everything the headers carry before any body byte is read: scope, time,
 * signed headers, the payload hash's form, and the signature itself when the payload hash is known
 * from the headers (x-amz-content-sha256, or no body). Otherwise the verdict is 'deferred': the
 * caller hashes the body as it streams and calls verifyAfterBody. Throws SigV4Error.
 */
export function verifyBeforeBody(req: SigV4Request, auth: ParsedAuth, secretAccessKey: string, opts: VerifyOptions): HeaderVerdict {
  checkScopeAndTime(auth, opts);
  checkSignedHeaders(req, auth, opts);
  const hash = headerPayloadHash(req, auth, opts);
  if (hash === null) return { kind: 'deferred' };
  checkSignature(req, auth, secretAccessKey, opts, hash);
  return { kind: 'verified', bodySha256: hash === UNSIGNED_PAYLOAD ? null : hash.toLowerCase() };
}

/** verifyAfterBody verifies a deferred signature with the SHA-256 (hex) of the body as received. Throws SigV4Error. */
export function verifyAfterBody(req: SigV4Request, auth: ParsedAuth, secretAccessKey: string, opts: VerifyOptions, bodySha256: string): void {
  checkSignature(req, auth, secretAccessKey, opts, bodySha256);
}

function checkSignature(req: SigV4Request, auth: ParsedAuth, secretAccessKey: string, opts: VerifyOptions, hash: string): void {
  const headers = canonicalHeaders(req.headers, auth.signedHeaders);
  if ('missing' in headers) throw badSig(opts, `Signed header '${headers.missing.slice(0, 128)}' is not present in the request.`);
  const key = signingKey(secretAccessKey, auth.date, auth.region, auth.service);
  const scope = `${auth.date}/${auth.region}/${auth.service}/aws4_request`;
  const method = req.method.toUpperCase();
  const build = (uri: string, query: string): { canonicalRequest: string; stringToSign: string } => {
    const cr = canonicalRequest({
      method,
      canonicalUri: uri,
      canonicalQuery: query,
      canonicalHeaders: headers.block,
      signedHeaders: auth.signedHeaders.join(';'),
      payloadHash: hash,
    });
    return { canonicalRequest: cr, stringToSign: stringToSign(auth.amzDate, scope, cr) };
  };
  // AWS's canonical path first; signers built on the Go SDKs do not remove dot segments or repeated slashes.
  const uris = [canonicalPath(req.path, true)];
  const rawUri = canonicalPath(req.path, false);
  if (rawUri !== uris[0]) uris.push(rawUri);
  // AWS's canonical query first, then the forms clients that sign the query literally compute (see canonicalQueryForms).
  const queries = canonicalQueryForms(req.query, auth.presigned ? 'X-Amz-Signature' : undefined);
  let expected: { canonicalRequest: string; stringToSign: string } | undefined;
  for (const query of queries) {
    for (const uri of uris) {
      const attempt = build(uri, query);
      expected ??= attempt;
      if (safeEqualHex(signatureHex(key, attempt.stringToSign), auth.signature)) return;
    }
  }
  throw badSig(opts, SIGNATURE_MISMATCH_MESSAGE, expected);
}
