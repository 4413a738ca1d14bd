import { createHash, createHmac } from 'node:crypto';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { canonicalQuery, canonicalQueryForms } from './canonical.js';
import { parseAuthorization, SigV4Error, verifySignature, type SigV4Request } from './verify.js';

const KEY = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const AT = new Date('2026-03-01T12:00:00Z');
const AMZ_DATE = '20260301T120000Z';
const OPTS = { now: () => AT.getTime(), expectedRegion: 'us-east-1', allowedServices: ['aps'] };

/** signAs is an independent reference signer: it signs `signedQuery` as the canonical query (what a given client computes) and sends `sentQuery`. */
function signAs(sentQuery: string, signedQuery: string, path = '/workspaces/ws-1/api/v1/series'): SigV4Request {
  const hmac = (k: string | Buffer, d: string) => createHmac('sha256', k).update(d).digest();
  const sha = (d: string) => createHash('sha256').update(d).digest('hex');
  const headers = `host:localhost:8080\nx-amz-date:${AMZ_DATE}\n`;
  const cr = `GET\n${path}\n${signedQuery}\n${headers}\nhost;x-amz-date\n${sha('')}`;
  const scope = '20260301/us-east-1/aps/aws4_request';
  const key = hmac(hmac(hmac(hmac('AWS4' + KEY.secretAccessKey, '20260301'), 'us-east-1'), 'aps'), 'aws4_request');
  const sig = createHmac('sha256', key).update(`AWS4-HMAC-SHA256\n${AMZ_DATE}\n${scope}\n${sha(cr)}`).digest('hex');
  return {
    method: 'GET',
    path,
    query: sentQuery,
    headers: { host: 'localhost:8080', 'x-amz-date': AMZ_DATE, authorization: `AWS4-HMAC-SHA256 Credential=${KEY.accessKeyId}/${scope}, SignedHeaders=host;x-amz-date, Signature=${sig}` },
    body: new Uint8Array(0),
  };
}

function verifies(req: SigV4Request): boolean {
  try {
    verifySignature(req, parseAuthorization(req), KEY.secretAccessKey, OPTS);
    return true;
  } catch (e) {
    if (e instanceof SigV4Error) return false;
    throw e;
  }
}

describe('canonicalQuery (AWS form)', () => {
  const f = (raw: string, want: string) => expect(canonicalQuery(raw), raw).toBe(want);
  it('re-encodes decoded parameters with the unreserved set only, %20 for spaces, sorted by name then value', () => {
    f('match[]=up', 'match%5B%5D=up');
    f('match%5b%5d=up', 'match%5B%5D=up');
    f('query=a+b', 'query=a%20b');
    f('query=a%20b', 'query=a%20b');
    f('query=a%2Bb', 'query=a%2Bb');
    f('q=~-._*!', 'q=~-._%2A%21');
    f('b=2&a=1&a=0', 'a=0&a=1&b=2');
    f('m[]=b&m[]=a&m=z', 'm=z&m%5B%5D=a&m%5B%5D=b');
    f('flag&x=', 'flag=&x=');
    f('q=%E2%82%AC', 'q=%E2%82%AC');
    f('q=%zz', 'q=%25zz');
  });

  it('lists the forms literal signers compute, AWS first, without repeats', () => {
    expect([...canonicalQueryForms('match[]=up')]).toEqual(['match%5B%5D=up', 'match[]=up']);
    expect([...canonicalQueryForms('query=a+b')]).toEqual(['query=a%20b', 'query=a%2Bb', 'query=a+b']);
    expect([...canonicalQueryForms('b=1&a=2')]).toEqual(['a=2&b=1', 'b=1&a=2']);
    expect([...canonicalQueryForms('a=1')]).toEqual(['a=1']);
    expect([...canonicalQueryForms('X-Amz-Signature=abc&b=[1]', 'X-Amz-Signature')]).toEqual(['b=%5B1%5D', 'b=[1]']);
  });
});

describe('verifySignature accepts the canonical query of real signers', () => {
  it('curl 7.x --aws-sigv4: the query signed exactly as sent (literal brackets, --data-urlencode lower-case escapes and +)', () => {
    for (const q of ['match[]=up', 'match[]=up&match[]=node_load1&start=1', 'query=sum%28rate%28x%7ba%3d%22b%22%7d%5b5m%5d%29%29+by+%28le%29&time=1', 'b=2&a=1']) {
      expect(verifies(signAs(q, q)), q).toBe(true);
    }
  });

  it('curl 8 --aws-sigv4: percent-encoded, "+" as a literal %2B, sorted', () => {
    expect(verifies(signAs('match[]=up&query=a+b', 'match%5B%5D=up&query=a%2Bb'))).toBe(true);
  });

  it('botocore given a URL with a query (AWS CLI, awscurl): raw pairs sorted', () => {
    expect(verifies(signAs('start=1&match[]=up&end=2', 'end=2&match[]=up&start=1'))).toBe(true);
  });

  it("aws-sdk-go v1 (Grafana's and Prometheus's SigV4): url.Values.Encode with + as %20, sent as signed", () => {
    // Go: values {"match[]": ["up", "node_load1"], "query": ["a b"]} -> sorted keys, sorted values, QueryEscape, "+" -> "%20".
    const goEncoded = 'match%5B%5D=node_load1&match%5B%5D=up&query=a%20b';
    expect(verifies(signAs(goEncoded, goEncoded))).toBe(true);
  });

  it('@smithy/signature-v4, whatever encoding of brackets the HTTP client puts on the wire', async () => {
    const signer = new SignatureV4({ credentials: KEY, region: 'us-east-1', service: 'aps', sha256: Hash.bind(null, 'sha256') });
    const s = await signer.sign(
      { method: 'GET', protocol: 'http:', hostname: 'localhost', port: 8080, path: '/workspaces/ws-1/api/v1/series', query: { 'match[]': ['up', 'node_load1'], start: '1' }, headers: { host: 'localhost:8080' } },
      { signingDate: AT },
    );
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(s.headers as Record<string, string>)) headers[k.toLowerCase()] = v;
    for (const q of ['match[]=up&match[]=node_load1&start=1', 'match%5B%5D=up&match%5B%5D=node_load1&start=1', 'start=1&match%5b%5d=node_load1&match%5b%5d=up']) {
      expect(verifies({ method: 'GET', path: '/workspaces/ws-1/api/v1/series', query: q, headers, body: new Uint8Array(0) }), q).toBe(true);
    }
  });

  it('still refuses any change to the signed query', () => {
    expect(verifies({ ...signAs('match[]=up', 'match[]=up'), query: 'match[]=down' })).toBe(false);
    expect(verifies({ ...signAs('match[]=up', 'match[]=up'), query: 'match[]=up&x=1' })).toBe(false);
    expect(verifies({ ...signAs('query=a+b', 'query=a+b'), query: 'query=a-b' })).toBe(false);
    expect(verifies(signAs('a=1', 'a=2'))).toBe(false);
  });
});
