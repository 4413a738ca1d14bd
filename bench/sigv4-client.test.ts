import { describe, expect, it } from 'vitest';
import { parseAuthorization, verifySignature, type SigV4Request } from '../src/auth/sigv4/verify.js';
import { sigv4Headers, type Credentials } from './sigv4-client.js';

const CREDS: Credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const NOW = Date.UTC(2026, 0, 2, 3, 4, 5);

/** asReceived turns a signed request into what the server's verifier sees. */
function asReceived(method: string, url: URL, headers: Record<string, string>, body: Uint8Array | null): SigV4Request {
  return { method, path: url.pathname, query: url.search.slice(1), headers: { ...headers, host: url.host }, body };
}

function verify(req: SigV4Request): void {
  verifySignature(req, parseAuthorization(req), CREDS.secretAccessKey, { now: () => NOW, expectedRegion: 'us-east-1', allowedServices: ['aps'] });
}

describe('sigv4Headers', () => {
  it('signs a query GET that the server verifier accepts', () => {
    const url = new URL('http://127.0.0.1:9/workspaces/ws-1/api/v1/query?query=sum%20by%20(mode)%20(rate(x%5B5m%5D))&time=1700000000.5');
    const h = sigv4Headers({ credentials: CREDS, now: () => NOW }, { method: 'GET', url });
    expect(() => verify(asReceived('GET', url, h, null))).not.toThrow();
  });

  it('signs a remote-write body (its SHA-256 included) that the server verifier accepts', () => {
    const url = new URL('http://127.0.0.1:9/workspaces/ws-1/api/v1/remote_write');
    const body = new Uint8Array([1, 2, 3, 4]);
    const h = sigv4Headers({ credentials: CREDS, now: () => NOW }, { method: 'POST', url, body, headers: { 'Content-Type': 'application/x-protobuf' } });
    expect(() => verify(asReceived('POST', url, h, body))).not.toThrow();
  });

  it('produces a signature the verifier refuses once the query changes', () => {
    const url = new URL('http://127.0.0.1:9/workspaces/ws-1/api/v1/query?query=up');
    const h = sigv4Headers({ credentials: CREDS, now: () => NOW }, { method: 'GET', url });
    expect(() => verify(asReceived('GET', new URL('http://127.0.0.1:9/workspaces/ws-1/api/v1/query?query=down'), h, null))).toThrow(/signature/i);
  });
});
