import { createServer, request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nopLogger } from '../model/logger.js';
import { parseAuthorization, verifySignature } from '../auth/sigv4/verify.js';
import { parseListen, startSigV4Proxy, type RunningSigV4Proxy } from './proxy.js';

const CREDS = { accessKeyId: 'AKIAPROXYTEST0000001', secretAccessKey: 'proxy/secret+key', sessionToken: 'session-token', source: 'test' };

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
  verified: string;
}

describe('startSigV4Proxy', () => {
  let proxy: RunningSigV4Proxy;
  const seen: Seen[] = [];
  const upstream = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const sreq = { method: req.method ?? 'GET', path: q < 0 ? url : url.slice(0, q), query: q < 0 ? '' : url.slice(q + 1), headers: req.headersDistinct, body: Buffer.concat(chunks) };
      let verified = 'ok';
      try {
        const auth = parseAuthorization(sreq);
        if (auth.securityToken !== CREDS.sessionToken) throw new Error('session token not sent');
        verifySignature(sreq, auth, CREDS.secretAccessKey, { now: Date.now, expectedRegion: 'eu-west-1', allowedServices: ['aps'] });
      } catch (e) {
        verified = (e as Error).message;
      }
      seen.push({ method: sreq.method, url, headers: req.headers, body: sreq.body, verified });
      res.writeHead(verified === 'ok' ? 200 : 403, { 'content-type': 'text/plain', connection: 'keep-alive', 'x-upstream': 'yes' });
      // A streamed response in several chunks.
      res.write('part1-');
      setTimeout(() => res.end(`part2:${sreq.body.length}`), 20);
    });
  });

  beforeAll(async () => {
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    const port = (upstream.address() as AddressInfo).port;
    proxy = await startSigV4Proxy({ listen: '127.0.0.1:0', upstream: `http://127.0.0.1:${port}/prefix`, region: 'eu-west-1', service: 'aps', credentials: { get: async () => CREDS }, logger: nopLogger });
  });
  afterAll(async () => {
    await proxy.close();
    upstream.close();
  });

  it('signs GETs with literal brackets and + in the query; the upstream verifies them', async () => {
    const r = await fetch(`${proxy.url}/workspaces/ws-1/api/v1/series?match[]=up&match[]=node_load1&q=a+b%2Bc`, { headers: { authorization: 'Basic dXNlcjpwYXNz', 'proxy-authorization': 'x' } });
    expect(r.status).toBe(200);
    expect(await r.text()).toBe('part1-part2:0');
    const s = seen.at(-1)!;
    expect(s.verified).toBe('ok');
    expect(s.url).toBe('/prefix/workspaces/ws-1/api/v1/series?match[]=up&match[]=node_load1&q=a+b%2Bc');
    expect(s.headers['host']).toBe(`127.0.0.1:${(upstream.address() as AddressInfo).port}`);
    expect(s.headers['authorization']).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIAPROXYTEST0000001\/\d{8}\/eu-west-1\/aps\/aws4_request/);
    expect(s.headers['proxy-authorization']).toBeUndefined();
    expect(r.headers.get('x-upstream')).toBe('yes');
  });

  it('buffers a chunked request body, signs its SHA-256 and drops hop-by-hop headers', async () => {
    const port = Number(new URL(proxy.url).port);
    const body = Buffer.alloc(3 << 20, 7);
    const res = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/workspaces/ws-1/api/v1/remote_write', headers: { 'content-type': 'application/x-protobuf', connection: 'keep-alive, x-private', 'x-private': 'secret', te: 'trailers' } }, (r) => {
        let text = '';
        r.on('data', (c: Buffer) => (text += c.toString()));
        r.on('end', () => resolve({ status: r.statusCode ?? 0, text }));
      });
      req.on('error', reject);
      for (let i = 0; i < body.length; i += 1 << 20) req.write(body.subarray(i, i + (1 << 20)));
      req.end();
    });
    expect(res.status).toBe(200);
    expect(res.text).toBe(`part1-part2:${body.length}`);
    const s = seen.at(-1)!;
    expect(s.verified).toBe('ok');
    expect(s.headers['x-amz-content-sha256']).toMatch(/^[0-9a-f]{64}$/);
    expect(s.headers['x-private']).toBeUndefined();
    expect(s.headers['te']).toBeUndefined();
    expect(s.headers['content-type']).toBe('application/x-protobuf');
    expect(s.body.equals(body)).toBe(true);
  });

  it('refuses bodies past the buffering cap with 413', async () => {
    const port = (upstream.address() as AddressInfo).port;
    const signing = await startSigV4Proxy({ listen: '127.0.0.1:0', upstream: `http://127.0.0.1:${port}`, region: 'eu-west-1', service: 'aps', credentials: { get: async () => CREDS }, logger: nopLogger, maxBodyBytes: 1024 });
    try {
      const r = await fetch(`${signing.url}/workspaces/ws-1/api/v1/remote_write`, { method: 'POST', body: Buffer.alloc(600, 1) });
      expect(await r.text()).toBe('part1-part2:600');
      const s = seen.at(-1)!;
      expect(s.verified).toBe('ok');
      expect(s.headers['x-amz-content-sha256']).toMatch(/^[0-9a-f]{64}$/);
      const big = await fetch(`${signing.url}/workspaces/ws-1/api/v1/remote_write`, { method: 'POST', body: Buffer.alloc(2048, 1) });
      expect(big.status).toBe(413);
    } finally {
      await signing.close();
    }
  });

  it('answers 502 naming the upstream when it is down', async () => {
    const dead = await startSigV4Proxy({ listen: '127.0.0.1:0', upstream: 'http://127.0.0.1:1', region: 'us-east-1', service: 'aps', credentials: { get: async () => CREDS }, logger: nopLogger });
    try {
      const r = await fetch(`${dead.url}/x`);
      expect(r.status).toBe(502);
      expect(await r.text()).toMatch(/upstream http:\/\/127\.0\.0\.1:1 failed/);
    } finally {
      await dead.close();
    }
  });

  it('parses --listen', () => {
    expect(parseListen('127.0.0.1:8005')).toEqual({ host: '127.0.0.1', port: 8005 });
    expect(parseListen('[::1]:0')).toEqual({ host: '::1', port: 0 });
    expect(() => parseListen('8005')).toThrow(/host:port/);
  });
});
