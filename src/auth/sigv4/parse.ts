import { SIGV4_ALGORITHM } from './canonical.js';
import { uriDecode } from './encode.js';
import { SigV4Error } from './errors.js';
import { httpDateToAmzDate } from './amzdate.js';
import type { SigV4Request } from './request.js';
import { redactAuthorization, truncateEcho } from './redact.js';

/** ParsedAuth is what a request's SigV4 authentication claims, before it is verified. */
export interface ParsedAuth {
  accessKeyId: string;
  /** date is the credential scope date, YYYYMMDD. */
  date: string;
  region: string;
  service: string;
  /** signedHeaders are lower-case header names, in the order the client listed them. */
  signedHeaders: string[];
  signature: string;
  securityToken?: string;
  presigned: boolean;
  /** expiresSec is X-Amz-Expires of a presigned request (absent: the default window applies). */
  expiresSec?: number;
  /** amzDate is the request time in ISO 8601 basic form (from X-Amz-Date, or the Date header). */
  amzDate: string;
  /** dateSource names where amzDate came from: 'x-amz-date', 'date' or the presign query (inferred by the verifier when absent). */
  dateSource?: 'x-amz-date' | 'date' | 'query';
}

/** MAX_PRESIGN_EXPIRES_SEC is the longest presigned validity AWS accepts (7 days). */
export const MAX_PRESIGN_EXPIRES_SEC = 604800;

/** firstHeader returns a header's first value (Node gives arrays for some repeated headers). */
export function firstHeader(headers: SigV4Request['headers'], name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function parseCredential(cred: string): { accessKeyId: string; date: string; region: string; service: string } {
  const parts = cred.split('/');
  if (parts.length !== 5) {
    throw new SigV4Error(
      'IncompleteSignature',
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${truncateEcho(cred)}'`,
    );
  }
  const [accessKeyId, date, region, service, term] = parts as [string, string, string, string, string];
  if (term !== 'aws4_request') {
    throw new SigV4Error('IncompleteSignature', `Credential should be scoped with a valid terminator: 'aws4_request', not '${truncateEcho(term)}'. `);
  }
  if (!/^\d{8}$/.test(date)) {
    throw new SigV4Error('IncompleteSignature', `Invalid credential date "${truncateEcho(date)}". This date is not the same as X-Amz-Date: "".`);
  }
  if (accessKeyId === '') throw new SigV4Error('IncompleteSignature', 'Credential is missing the access key id');
  return { accessKeyId, date, region, service };
}

function parseSignedHeaders(s: string): string[] {
  return s.split(';').map((h) => h.trim().toLowerCase()).filter((h) => h !== '');
}

function queryParams(rawQuery: string): Map<string, string> {
  const m = new Map<string, string>();
  if (rawQuery === '') return m;
  for (const part of rawQuery.split('&')) {
    const eq = part.indexOf('=');
    const k = uriDecode(eq < 0 ? part : part.slice(0, eq), true);
    if (!m.has(k)) m.set(k, uriDecode(eq < 0 ? '' : part.slice(eq + 1), true));
  }
  return m;
}

function parsePresigned(q: Map<string, string>): ParsedAuth {
  const alg = q.get('X-Amz-Algorithm')!;
  if (alg !== SIGV4_ALGORITHM) {
    throw new SigV4Error('IncompleteSignature', `Unsupported AWS 'algorithm': '${truncateEcho(alg)}'. Only '${SIGV4_ALGORITHM}' is supported.`);
  }
  const need = ['X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-Date', 'X-Amz-SignedHeaders'];
  if (need.some((k) => !q.get(k))) {
    throw new SigV4Error(
      'IncompleteSignature',
      "AWS query-string parameters must include 'X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-Date', 'X-Amz-SignedHeaders', and 'X-Amz-Expires'. Re-examine the query-string parameters.",
    );
  }
  let expiresSec: number | undefined;
  const exp = q.get('X-Amz-Expires');
  if (exp !== undefined) {
    if (!/^\d+$/.test(exp)) throw new SigV4Error('IncompleteSignature', `X-Amz-Expires should be a number, got '${truncateEcho(exp)}'`);
    expiresSec = Number(exp);
    if (expiresSec > MAX_PRESIGN_EXPIRES_SEC) {
      throw new SigV4Error('IncompleteSignature', `X-Amz-Expires must be less than a week (in seconds) that is ${MAX_PRESIGN_EXPIRES_SEC}`);
    }
  }
  const token = q.get('X-Amz-Security-Token');
  return {
    ...parseCredential(q.get('X-Amz-Credential')!),
    signedHeaders: parseSignedHeaders(q.get('X-Amz-SignedHeaders')!),
    signature: q.get('X-Amz-Signature')!,
    ...(token !== undefined ? { securityToken: token } : {}),
    presigned: true,
    ...(expiresSec !== undefined ? { expiresSec } : {}),
    amzDate: q.get('X-Amz-Date')!,
    dateSource: 'query',
  };
}

function parseHeader(req: SigV4Request, header: string): ParsedAuth {
  const sp = header.indexOf(' ');
  const alg = sp < 0 ? header : header.slice(0, sp);
  if (alg !== SIGV4_ALGORITHM) {
    throw new SigV4Error('IncompleteSignature', `Unsupported AWS 'algorithm': '${truncateEcho(alg)}'. Only '${SIGV4_ALGORITHM}' is supported.`);
  }
  const params = new Map<string, string>();
  for (const item of (sp < 0 ? '' : header.slice(sp + 1)).split(',')) {
    const t = item.trim();
    if (t === '') continue;
    const eq = t.indexOf('=');
    if (eq < 0) throw new SigV4Error('IncompleteSignature', `Authorization header requires each component to have the form key=value, got '${redactAuthorization(t)}'. Authorization=${redactAuthorization(header)}`);
    params.set(t.slice(0, eq).trim(), t.slice(eq + 1).trim());
  }
  const xAmzDate = firstHeader(req.headers, 'x-amz-date');
  const httpDate = firstHeader(req.headers, 'date');
  let problems = '';
  if (!params.get('Credential')) problems += "Authorization header requires 'Credential' parameter. ";
  if (!params.get('Signature')) problems += "Authorization header requires 'Signature' parameter. ";
  if (!params.get('SignedHeaders')) problems += "Authorization header requires 'SignedHeaders' parameter. ";
  if (!xAmzDate && !httpDate) problems += "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ";
  if (problems) throw new SigV4Error('IncompleteSignature', `${problems}Authorization=${redactAuthorization(header)}`);
  let amzDate: string;
  let dateSource: ParsedAuth['dateSource'];
  if (xAmzDate) {
    amzDate = xAmzDate.trim();
    dateSource = 'x-amz-date';
  } else {
    const conv = httpDateToAmzDate(httpDate!);
    if (!conv) throw new SigV4Error('IncompleteSignature', `Date header '${truncateEcho(httpDate!)}' is not a valid HTTP date`);
    amzDate = conv;
    dateSource = 'date';
  }
  const token = firstHeader(req.headers, 'x-amz-security-token');
  return {
    ...parseCredential(params.get('Credential')!),
    signedHeaders: parseSignedHeaders(params.get('SignedHeaders')!),
    signature: params.get('Signature')!,
    ...(token !== undefined ? { securityToken: token } : {}),
    presigned: false,
    amzDate,
    dateSource,
  };
}

/** parseAuthorization reads the SigV4 Authorization header or presigned query parameters of a request; throws SigV4Error. */
export function parseAuthorization(req: SigV4Request): ParsedAuth {
  const header = firstHeader(req.headers, 'authorization');
  const q = queryParams(req.query);
  const presigned = q.has('X-Amz-Algorithm');
  if (header !== undefined && presigned) {
    throw new SigV4Error(
      'IncompleteSignature',
      'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified',
    );
  }
  if (presigned) return parsePresigned(q);
  if (header === undefined || header.trim() === '') throw new SigV4Error('MissingAuthenticationToken', 'Missing Authentication Token');
  return parseHeader(req, header.trim());
}
