import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { parseAuthorization, SigV4Error, verifyAfterBody, verifyBeforeBody, verifySignature, streamedBodyHash, type SigV4Request, type VerifyOptions } from './verify.js';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';

/** TestSignInput describes a request to sign with @smithy/signature-v4 in tests. */
interface TestSignInput {
  method: string;
  /** path is the on-wire (already percent-encoded) path, as the SDK serializers produce it. */
  path: string;
  query?: Record<string, string | string[]>;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  service?: string;
  region?: string;
  at: Date;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  presignExpiresSec?: number;
  uriEscapePath?: boolean;
  applyChecksum?: boolean;
}

/** TEST_CREDENTIALS are the AWS documentation example keys. */
const TEST_CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };

function escapeUri(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

/** wireQuery renders a query object as the SDK's HTTP handler puts it on the wire. */
function wireQuery(query: Record<string, string | string[] | null>): string {
  const parts: string[] = [];
  for (const k of Object.keys(query)) {
    const v = query[k];
    if (v === null || v === undefined) parts.push(escapeUri(k));
    else for (const x of Array.isArray(v) ? v : [v]) parts.push(`${escapeUri(k)}=${escapeUri(x)}`);
  }
  return parts.join('&');
}

/** smithySign signs (or presigns) a request with @smithy/signature-v4 and returns it as the server would receive it. */
async function smithySign(input: TestSignInput): Promise<SigV4Request> {
  const signer = new SignatureV4({
    credentials: input.credentials ?? TEST_CREDENTIALS,
    region: input.region ?? 'us-east-1',
    service: input.service ?? 'aps',
    sha256: Hash.bind(null, 'sha256'),
    uriEscapePath: input.uriEscapePath ?? true,
    applyChecksum: input.applyChecksum ?? true,
  });
  const body = typeof input.body === 'string' ? new TextEncoder().encode(input.body) : input.body;
  const req = {
    method: input.method,
    protocol: 'http:',
    hostname: 'localhost',
    port: 8080,
    path: input.path,
    query: { ...(input.query ?? {}) },
    headers: { host: 'localhost:8080', ...(input.headers ?? {}) },
    body,
  };
  const signed =
    input.presignExpiresSec !== undefined
      ? await signer.presign(req, { signingDate: input.at, expiresIn: input.presignExpiresSec })
      : await signer.sign(req, { signingDate: input.at });
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(signed.headers as Record<string, string>)) headers[k.toLowerCase()] = v;
  if (body && body.length > 0) headers['content-length'] = String(body.length);
  return {
    method: signed.method,
    path: signed.path,
    query: wireQuery((signed.query ?? {}) as Record<string, string | string[] | null>),
    headers,
    body: body ?? new Uint8Array(0),
  };
}

const AT = new Date('2026-03-01T12:00:00Z');
const opts = (over: Partial<VerifyOptions> = {}): VerifyOptions => ({
  now: () => AT.getTime(),
  expectedRegion: 'us-east-1',
  allowedServices: ['aps'],
  ...over,
});

function check(req: SigV4Request, o: Partial<VerifyOptions> = {}, secret = TEST_CREDENTIALS.secretAccessKey): void {
  verifySignature(req, parseAuthorization(req), secret, opts(o));
}

function errorOf(fn: () => void): SigV4Error {
  try {
    fn();
  } catch (e) {
    if (e instanceof SigV4Error) return e;
    throw e;
  }
  throw new Error('expected a SigV4Error');
}

describe('verifySignature against @smithy/signature-v4', () => {
  const cases: [string, Omit<TestSignInput, 'at'>][] = [
    ['GET with query', { method: 'GET', path: '/workspaces/ws-1/api/v1/query', query: { query: 'sum(rate(x[5m])) by (job)', time: '1700000000' } }],
    ['POST remote write body', { method: 'POST', path: '/workspaces/ws-1/api/v1/remote_write', body: new Uint8Array([1, 2, 3, 0, 255]), headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy' } }],
    ['path with encoded space', { method: 'GET', path: '/workspaces/a%20b/x' }],
    ['path with unicode', { method: 'GET', path: '/workspaces/%E2%82%AC%F0%9F%98%80/x' }],
    ['path with %2F', { method: 'GET', path: '/tags/arn%3Aaws%3Aaps%3Aus-east-1%3A000000000000%3Aworkspace%2Fws-1' }],
    ['repeated slashes', { method: 'GET', path: '//workspaces//ws-1///api/' }],
    ['dot segments', { method: 'GET', path: '/workspaces/./ws-1/../ws-2/api/v1/labels' }],
    ['trailing slash', { method: 'GET', path: '/workspaces/' }],
    ['repeated and empty query keys', { method: 'GET', path: '/q', query: { 'match[]': ['up{job="b"}', 'up{job="a"}'], empty: '', z: 'last', A: 'upper' } }],
    ['query with reserved characters', { method: 'GET', path: '/q', query: { 'a b': "x y+z/=&!'()*~", '€': 'ü' } }],
    ['header values with extra spaces', { method: 'POST', path: '/x', body: 'a=b', headers: { 'x-amz-meta': '  a   b \t c  ', 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' } }],
    ['session token', { method: 'GET', path: '/x', credentials: { ...TEST_CREDENTIALS, sessionToken: 'FQoGZXIvYXdzEJr//////////wEaDOPf+token=' } }],
    ['explicit body sha256', { method: 'PUT', path: '/x', body: 'hello', headers: { 'x-amz-content-sha256': createHash('sha256').update('hello').digest('hex') } }],
    ['iam service query protocol', { method: 'POST', path: '/', service: 'iam', body: 'Action=ListUsers&Version=2010-05-08', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' } }],
  ];
  for (const [name, input] of cases) {
    it(`verifies: ${name}`, async () => {
      const req = await smithySign({ ...input, at: AT });
      const auth = parseAuthorization(req);
      expect(auth.accessKeyId).toBe('AKIDEXAMPLE');
      expect(auth.presigned).toBe(false);
      expect(auth.securityToken).toBe(input.credentials?.sessionToken);
      verifySignature(req, auth, TEST_CREDENTIALS.secretAccessKey, opts({ allowedServices: ['aps', 'iam'] }));
    });
  }

  it('accepts "+" as space in the query (Go SDK form encoding)', async () => {
    const req = await smithySign({ method: 'GET', path: '/q', query: { query: 'sum by (job) (up)' }, at: AT });
    expect(req.query).toContain('%20');
    check({ ...req, query: req.query.replace(/%20/g, '+') });
  });

  it('accepts a path that the client signed without normalising (Go SDK signers)', async () => {
    // smithy with uriEscapePath false signs the path exactly as given, as aws-sdk-go(-v2) does after escaping.
    const raw = await smithySign({ method: 'GET', path: '/a//b/./c', at: AT, uriEscapePath: false });
    check(raw);
    const normal = await smithySign({ method: 'GET', path: '/a/b', at: AT });
    check({ ...normal, path: '/a//b' });
    check({ ...normal, path: '/a/./b' });
    check({ ...normal, path: '/a/b/c/..' });
    expect(errorOf(() => check({ ...normal, path: '/a/b/c' })).code).toBe('InvalidSignatureException');
  });

  it('joins repeated header values with a comma', async () => {
    const req = await smithySign({ method: 'GET', path: '/x', headers: { 'x-multi': 'a,b' }, at: AT });
    check({ ...req, headers: { ...req.headers, 'x-multi': ['a', 'b'] } });
  });

  it('rejects each mutated part', async () => {
    const req = await smithySign({
      method: 'POST',
      path: '/workspaces/ws-1/api/v1/remote_write',
      query: { a: '1' },
      headers: { 'content-type': 'application/x-protobuf', 'x-amz-meta': 'v' },
      body: 'payload',
      at: AT,
    });
    check(req);
    const mismatch = 'InvalidSignatureException';
    const table: [string, SigV4Request, string, Partial<VerifyOptions>?, string?][] = [
      ['method', { ...req, method: 'PUT' }, mismatch],
      ['path', { ...req, path: '/workspaces/ws-2/api/v1/remote_write' }, mismatch],
      ['query', { ...req, query: 'a=2' }, mismatch],
      ['added query', { ...req, query: 'a=1&b=2' }, mismatch],
      ['signed header', { ...req, headers: { ...req.headers, 'x-amz-meta': 'w' } }, mismatch],
      ['host', { ...req, headers: { ...req.headers, host: 'evil:8080' } }, mismatch],
      ['body', { ...req, body: new TextEncoder().encode('payloaX') }, 'XAmzContentSHA256Mismatch'],
      ['body without x-amz-content-sha256', { ...req, headers: { ...req.headers, 'x-amz-content-sha256': undefined }, body: new TextEncoder().encode('payloaX') }, mismatch],
      ['date', { ...req, headers: { ...req.headers, 'x-amz-date': '20260301T120001Z' } }, mismatch],
      ['date day (scope)', { ...req, headers: { ...req.headers, 'x-amz-date': '20260302T120000Z' } }, mismatch, { now: () => Date.parse('2026-03-02T12:00:00Z') }],
      ['region', req, mismatch, { expectedRegion: 'eu-west-1' }],
      ['service', req, mismatch, { allowedServices: ['iam', 'sts'] }],
      ['secret', req, mismatch, {}, 'wrong-secret'],
      ['secret (query protocol)', req, 'SignatureDoesNotMatch', { protocol: 'query' }, 'wrong-secret'],
      ['missing signed header', { ...req, headers: { ...req.headers, 'x-amz-meta': undefined } }, mismatch],
    ];
    for (const [name, r, code, o, secret] of table) {
      const e = errorOf(() => check(r, o, secret));
      expect(e.code, name).toBe(code);
    }
    const scoped = errorOf(() => check(req, { expectedRegion: 'eu-west-1' }));
    expect(scoped.message).toBe("Credential should be scoped to a valid region, not 'us-east-1'. ");
    const svc = errorOf(() => check(req, { allowedServices: ['sts'] }));
    expect(svc.message).toBe("Credential should be scoped to correct service: 'sts'. ");
    const bad = errorOf(() => check(req, {}, 'nope'));
    expect(bad.message).toMatch(/^The request signature we calculated does not match/);
    expect(bad.detail?.canonicalRequest.split('\n')[1]).toBe('/workspaces/ws-1/api/v1/remote_write');
  });

  it('rejects a signature with the region or service rewritten in the scope', async () => {
    const req = await smithySign({ method: 'GET', path: '/x', at: AT });
    const auth = req.headers['authorization'] as string;
    const other = { ...req, headers: { ...req.headers, authorization: auth.replace('/us-east-1/aps/', '/eu-west-1/aps/') } };
    expect(errorOf(() => check(other, { expectedRegion: 'eu-west-1' })).code).toBe('InvalidSignatureException');
    const svc = { ...req, headers: { ...req.headers, authorization: auth.replace('/us-east-1/aps/', '/us-east-1/sts/') } };
    expect(errorOf(() => check(svc, { allowedServices: ['sts'] })).code).toBe('InvalidSignatureException');
  });

  it('checks the body against x-amz-content-sha256', async () => {
    const req = await smithySign({ method: 'PUT', path: '/x', body: 'hello', headers: { 'x-amz-content-sha256': createHash('sha256').update('hello').digest('hex') }, at: AT });
    const e = errorOf(() => check({ ...req, body: new TextEncoder().encode('HELLO') }));
    expect(e.code).toBe('XAmzContentSHA256Mismatch');
    expect(e.httpStatus).toBe(400);
    // Streamed: the signature verifies from the header, and the caller gets the hash to check later.
    const streamed = { ...req, body: null };
    check(streamed);
    expect(streamedBodyHash(streamed)).toBe(createHash('sha256').update('hello').digest('hex'));
    expect(streamedBodyHash(req)).toBeNull();
  });

  it('UNSIGNED-PAYLOAD is refused (aps, iam and sts hash the body) unless allowed, and a streamed body needs x-amz-content-sha256', async () => {
    const req = await smithySign({ method: 'POST', path: '/x', body: 'hello', headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' }, at: AT });
    const refused = errorOf(() => check({ ...req, body: new TextEncoder().encode('anything') }));
    expect(refused.code).toBe('InvalidSignatureException');
    expect(refused.message).toContain('UNSIGNED-PAYLOAD is accepted by S3 only');
    expect(errorOf(() => check({ ...req, body: null }, { protocol: 'query', allowedServices: ['aps'] })).code).toBe('SignatureDoesNotMatch');
    check({ ...req, body: new TextEncoder().encode('anything') }, { allowUnsignedPayload: true });
    const plain = await smithySign({ method: 'POST', path: '/x', body: 'hello', at: AT, applyChecksum: false });
    expect(plain.headers['x-amz-content-sha256']).toBeUndefined();
    check(plain);
    expect(errorOf(() => check({ ...plain, body: null })).code).toBe('IncompleteSignature');
    const get = await smithySign({ method: 'GET', path: '/x', at: AT, applyChecksum: false });
    check({ ...get, body: null }); // no content-length, no transfer-encoding: an empty body
    const chunked = { ...plain, headers: { ...plain.headers, 'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' } };
    expect(errorOf(() => check(chunked)).code).toBe('NotImplemented');
  });

  it('verifyBeforeBody verifies from the headers when the payload hash is declared, else defers to verifyAfterBody', async () => {
    const hello = createHash('sha256').update('hello').digest('hex');
    const declared = await smithySign({ method: 'POST', path: '/x', body: 'hello', headers: { 'content-length': '5' }, at: AT });
    expect(declared.headers['x-amz-content-sha256']).toBe(hello);
    expect(verifyBeforeBody({ ...declared, body: null }, parseAuthorization(declared), TEST_CREDENTIALS.secretAccessKey, opts())).toEqual({ kind: 'verified', bodySha256: hello });
    // A wrong signature is refused before any body byte.
    const forged = { ...declared, body: null, headers: { ...declared.headers, authorization: (declared.headers['authorization'] as string).replace(/Signature=\w{4}/, 'Signature=0000') } };
    expect(errorOf(() => verifyBeforeBody(forged, parseAuthorization(forged), TEST_CREDENTIALS.secretAccessKey, opts())).code).toBe('InvalidSignatureException');
    const plain = await smithySign({ method: 'POST', path: '/x', body: 'hello', headers: { 'content-length': '5' }, at: AT, applyChecksum: false });
    const pauth = parseAuthorization(plain);
    expect(verifyBeforeBody({ ...plain, body: null }, pauth, TEST_CREDENTIALS.secretAccessKey, opts())).toEqual({ kind: 'deferred' });
    verifyAfterBody({ ...plain, body: null }, pauth, TEST_CREDENTIALS.secretAccessKey, opts(), hello);
    const other = createHash('sha256').update('HELLO').digest('hex');
    expect(errorOf(() => verifyAfterBody({ ...plain, body: null }, pauth, TEST_CREDENTIALS.secretAccessKey, opts(), other)).code).toBe('InvalidSignatureException');
    const get = await smithySign({ method: 'GET', path: '/x', at: AT, applyChecksum: false });
    expect(verifyBeforeBody({ ...get, body: null }, parseAuthorization(get), TEST_CREDENTIALS.secretAccessKey, opts()).kind).toBe('verified');
  });

  it('enforces the clock skew window', async () => {
    const req = await smithySign({ method: 'GET', path: '/x', at: AT });
    const t = AT.getTime();
    check(req, { now: () => t + 5 * 60_000 });
    check(req, { now: () => t - 5 * 60_000 });
    const late = errorOf(() => check(req, { now: () => t + 5 * 60_000 + 1000 }));
    expect(late.message).toBe('Signature expired: 20260301T120000Z is now earlier than 20260301T120001Z (20260301T120501Z - 5 min.)');
    const early = errorOf(() => check(req, { now: () => t - 5 * 60_000 - 1000 }));
    expect(early.message).toMatch(/^Signature not yet current: 20260301T120000Z is still later than/);
    check(req, { now: () => t + 14 * 60_000, skewMs: 15 * 60_000 });
  });
});

describe('presigned URLs', () => {
  it('verifies a presigned GET and enforces its expiry', async () => {
    const req = await smithySign({ method: 'GET', path: '/workspaces/ws-1/api/v1/query', query: { query: 'up' }, at: AT, presignExpiresSec: 60 });
    expect(req.headers['authorization']).toBeUndefined();
    const auth = parseAuthorization(req);
    expect(auth).toMatchObject({ presigned: true, expiresSec: 60, amzDate: '20260301T120000Z', region: 'us-east-1', service: 'aps' });
    check(req, { now: () => AT.getTime() + 60_000 });
    expect(errorOf(() => check(req, { now: () => AT.getTime() + 61_000 })).code).toBe('RequestExpired');
    expect(errorOf(() => check(req, { now: () => AT.getTime() - 6 * 60_000 })).code).toBe('InvalidSignatureException');
    expect(errorOf(() => check({ ...req, query: req.query.replace('query=up', 'query=down') })).code).toBe('InvalidSignatureException');
    expect(errorOf(() => check({ ...req, query: req.query.replace('X-Amz-Expires=60', 'X-Amz-Expires=6000') })).code).toBe('InvalidSignatureException');
  });

  it('carries the session token of a presigned URL (STS GetCallerIdentity, as EKS tokens)', async () => {
    const req = await smithySign({
      method: 'GET',
      path: '/',
      service: 'sts',
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
      credentials: { ...TEST_CREDENTIALS, sessionToken: 'tok/+=' },
      headers: { 'x-k8s-aws-id': 'my-cluster' },
      at: AT,
      presignExpiresSec: 60,
    });
    const auth = parseAuthorization(req);
    expect(auth.securityToken).toBe('tok/+=');
    expect(auth.signedHeaders).toEqual(['host', 'x-k8s-aws-id']);
    check(req, { allowedServices: ['sts'] });
  });
});

describe('parseAuthorization errors', () => {
  const base: SigV4Request = { method: 'GET', path: '/', query: '', headers: { host: 'h' }, body: null };
  const withAuth = (a: string, extra: Record<string, string> = { 'x-amz-date': '20260301T120000Z' }): SigV4Request => ({
    ...base,
    headers: { ...base.headers, ...extra, authorization: a },
  });
  const table: [string, SigV4Request, string, RegExp][] = [
    ['no auth', base, 'MissingAuthenticationToken', /^Missing Authentication Token$/],
    ['sigv2', withAuth('AWS AKID:sig'), 'IncompleteSignature', /Unsupported AWS 'algorithm': 'AWS'/],
    ['missing parts', withAuth('AWS4-HMAC-SHA256 Credential=AKID/20260301/us-east-1/aps/aws4_request', {}), 'IncompleteSignature',
      /requires 'Signature' parameter\. .*requires 'SignedHeaders' parameter\. .*either a 'X-Amz-Date' or a 'Date' header/],
    ['bad credential', withAuth('AWS4-HMAC-SHA256 Credential=AKID/20260301/us-east-1, SignedHeaders=host, Signature=00'), 'IncompleteSignature', /exactly 5 slash-delimited/],
    ['bad terminator', withAuth('AWS4-HMAC-SHA256 Credential=AKID/20260301/us-east-1/aps/aws5_request, SignedHeaders=host, Signature=00'), 'IncompleteSignature', /valid terminator/],
    ['both mechanisms', { ...withAuth('AWS4-HMAC-SHA256 x'), query: 'X-Amz-Algorithm=AWS4-HMAC-SHA256' }, 'IncompleteSignature', /Only one auth mechanism/],
    ['presign incomplete', { ...base, query: 'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20260301T120000Z' }, 'IncompleteSignature', /must include/],
    ['presign too long', { ...base, query: 'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=A%2F20260301%2Fus-east-1%2Faps%2Faws4_request&X-Amz-Date=20260301T120000Z&X-Amz-SignedHeaders=host&X-Amz-Signature=00&X-Amz-Expires=604801' }, 'IncompleteSignature', /less than a week/],
  ];
  for (const [name, req, code, msg] of table) {
    it(name, () => {
      const e = errorOf(() => parseAuthorization(req));
      expect(e.code).toBe(code);
      expect(e.message).toMatch(msg);
    });
  }

  it('parses spacing variants and the Date header fallback', () => {
    const r = withAuth('AWS4-HMAC-SHA256   Credential=AKID/20260301/us-east-1/aps/aws4_request,SignedHeaders=date;host ,  Signature=abc', {
      date: 'Sun, 01 Mar 2026 12:00:00 GMT',
    });
    expect(parseAuthorization(r)).toMatchObject({ accessKeyId: 'AKID', signedHeaders: ['date', 'host'], signature: 'abc', amzDate: '20260301T120000Z', dateSource: 'date' });
  });

  it('requires x-amz-date and host to be signed, and the scope date to match', () => {
    const r = withAuth('AWS4-HMAC-SHA256 Credential=AKID/20260301/us-east-1/aps/aws4_request, SignedHeaders=host, Signature=00');
    expect(errorOf(() => check(r)).message).toMatch(/'X-Amz-Date' must be a 'SignedHeader'/);
    const h = withAuth('AWS4-HMAC-SHA256 Credential=AKID/20260301/us-east-1/aps/aws4_request, SignedHeaders=x-amz-date, Signature=00');
    expect(errorOf(() => check(h)).message).toMatch(/'Host' or ':authority' must be a 'SignedHeader'/);
    const d = withAuth('AWS4-HMAC-SHA256 Credential=AKID/20260302/us-east-1/aps/aws4_request, SignedHeaders=host;x-amz-date, Signature=00');
    expect(errorOf(() => check(d)).message).toMatch(/^Date in Credential scope does not match/);
    const bad = withAuth('AWS4-HMAC-SHA256 Credential=AKID/20260301/us-east-1/aps/aws4_request, SignedHeaders=host;x-amz-date, Signature=00', { 'x-amz-date': '2026-03-01T12:00:00Z' });
    expect(errorOf(() => check(bad)).code).toBe('IncompleteSignature');
  });
});
