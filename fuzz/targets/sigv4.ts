import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { parseAuthorization, SigV4Error, streamedBodyHash, verifySignature, type SigV4Request, type VerifyOptions } from '../../src/auth/sigv4/verify.js';
import { bytes, typedError, type FuzzTarget } from '../target.js';

const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const AT = new Date('2026-03-01T12:00:00Z');
const OPTS: VerifyOptions = { now: () => AT.getTime(), expectedRegion: 'us-east-1', allowedServices: ['aps', 'iam', 'sts'], protocol: 'json' };

/**
 * The input is an HTTP request as text (latin1, as Node hands header bytes over):
 * "METHOD path?query\nname: value\n...\n\nbody". Repeated header names become arrays.
 */
export function requestFromBytes(input: Uint8Array): SigV4Request {
  const s = Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('latin1');
  const blank = s.indexOf('\n\n');
  const head = blank < 0 ? s : s.slice(0, blank);
  const body = blank < 0 ? null : input.subarray(blank + 2);
  const [first = '', ...lines] = head.split('\n');
  const sp = first.indexOf(' ');
  const target = sp < 0 ? '' : first.slice(sp + 1);
  const q = target.indexOf('?');
  const headers: Record<string, string | string[]> = {};
  for (const line of lines) {
    const c = line.indexOf(':');
    if (c <= 0) continue;
    const name = line.slice(0, c).toLowerCase();
    const value = line.slice(c + 1).trim();
    const prev = headers[name];
    headers[name] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return { method: sp < 0 ? first : first.slice(0, sp), path: q < 0 ? target : target.slice(0, q), query: q < 0 ? '' : target.slice(q + 1), headers, body };
}

function requestToText(method: string, path: string, query: string, headers: Record<string, string>, body: string): string {
  return `${method} ${path}${query ? '?' + query : ''}\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n${body}`;
}

async function signed(o: { method: string; path: string; query?: Record<string, string>; body?: string; service?: string; presign?: number; token?: string; headers?: Record<string, string> }): Promise<Uint8Array> {
  const signer = new SignatureV4({
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: SECRET, ...(o.token ? { sessionToken: o.token } : {}) },
    region: 'us-east-1',
    service: o.service ?? 'aps',
    sha256: Hash.bind(null, 'sha256'),
  });
  const body = o.body ?? '';
  const req = { method: o.method, protocol: 'http:', hostname: '127.0.0.1', port: 8080, path: o.path, query: { ...(o.query ?? {}) }, headers: { host: '127.0.0.1:8080', ...(o.headers ?? {}) }, body };
  const out = o.presign !== undefined ? await signer.presign(req, { signingDate: AT, expiresIn: o.presign }) : await signer.sign(req, { signingDate: AT });
  const query = Object.entries((out.query ?? {}) as Record<string, string>)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(out.headers as Record<string, string>)) headers[k.toLowerCase()] = v;
  if (body) headers['content-length'] = String(Buffer.byteLength(body));
  return bytes(requestToText(out.method, out.path, query, headers, body));
}

const DICTIONARY = [
  'AWS4-HMAC-SHA256 ', 'Credential=', 'SignedHeaders=', 'Signature=', ', ', ',', ';', '/', 'aws4_request', 'X-Amz-Algorithm=AWS4-HMAC-SHA256&', 'X-Amz-Credential=',
  'X-Amz-Expires=604801&', 'X-Amz-Date=', '&', '=', '%', '%2F', '%25', '%zz', '..', '//', 'UNSIGNED-PAYLOAD', 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
  'x-amz-content-sha256: ', 'x-amz-security-token: ', 'authorization: ', 'date: Sun, 01 Mar 2026 12:00:00 GMT\n', 'transfer-encoding: chunked\n', '\n', '+', ' ', '\u00ff',
].map(bytes);

/** sigv4Target fuzzes SigV4: the Authorization header, presigned query parameters, the canonical request and the signature check. */
export const sigv4Target: FuzzTarget = {
  name: 'sigv4',
  maxLen: 8192,
  dictionary: DICTIONARY,
  async setup() {
    return Promise.all([
      signed({ method: 'POST', path: '/workspaces/ws-1/api/v1/remote_write', body: 'snappy-bytes', headers: { 'content-type': 'application/x-protobuf' } }),
      signed({ method: 'GET', path: '/workspaces/ws-1/api/v1/query', query: { query: 'sum(rate(x[5m]))', time: '1700000000' } }),
      signed({ method: 'GET', path: '/workspaces/ws-1/api/v1/series', query: { 'match[]': 'up{a="b"}' }, presign: 300 }),
      signed({ method: 'POST', path: '/', service: 'sts', body: 'Action=GetCallerIdentity&Version=2011-06-15', token: 'FQoGZXIvYXdzEXAMPLE', headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
      signed({ method: 'POST', path: '/', service: 'iam', body: 'Action=ListUsers&Version=2010-05-08', headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } }),
      signed({ method: 'PUT', path: '/workspaces/ws-1/alias/../x%20y', body: '{}', presign: 604800 }),
    ]);
  },
  run(input) {
    const req = requestFromBytes(input);
    streamedBodyHash({ ...req, body: null });
    verifySignature(req, parseAuthorization(req), SECRET, OPTS);
  },
  expected: typedError(SigV4Error),
};
