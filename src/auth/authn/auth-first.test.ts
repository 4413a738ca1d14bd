import { request as httpRequest, type ClientRequest } from 'node:http';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLogger, dataPlaneRoutes, newClock, newStore, ROOT, startApp } from './fixture.test-util.js';

/** open starts a POST whose body is not finished, and resolves with its status once answered. */
function open(url: string, path: string, headers: Record<string, string>, first: Uint8Array): { req: ClientRequest; status: Promise<number> } {
  const u = new URL(path, url);
  const req = httpRequest({ host: u.hostname, port: u.port, method: 'POST', path: u.pathname, headers });
  const status = new Promise<number>((resolve) => {
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
  });
  req.write(first);
  return { req, status };
}

describe('authentication before the body: the pending-body budget', () => {
  const clock = newClock();
  const { logger } = captureLogger();
  let app: FastifyInstance;
  let url: string;
  beforeAll(async () => {
    ({ app, url } = await startApp({ store: newStore(clock), region: 'us-east-1', logger, now: clock.now, pending: { perSourceBytes: 1 << 20, totalBytes: 1 << 20, perSourceRequests: 1, totalRequests: 1 } }, [dataPlaneRoutes]));
  });
  afterAll(async () => app.close());

  it('answers 503 with Retry-After to a body beyond the budget while another is still being read, then admits again', async () => {
    const body = new Uint8Array(64).fill(7);
    const path = '/workspaces/ws-1/api/v1/remote_write';
    const u = new URL(url);
    // Go-style signing (no x-amz-content-sha256): the signature can only be checked once the body is read.
    const signer = new SignatureV4({ service: 'aps', region: 'us-east-1', sha256: Hash.bind(null, 'sha256'), credentials: ROOT, applyChecksum: false });
    const signed = async (): Promise<Record<string, string>> => {
      const s = await signer.sign({ method: 'POST', protocol: 'http:', hostname: u.hostname, port: Number(u.port), path, query: {}, headers: { host: u.host, 'content-type': 'application/x-protobuf', 'content-length': String(body.length) }, body });
      return s.headers as Record<string, string>;
    };
    const slow = open(url, path, await signed(), body.subarray(0, 10));
    await new Promise((r) => setTimeout(r, 100));
    const second = await fetch(`${url}${path}`, { method: 'POST', headers: await signed(), body });
    expect(second.status).toBe(503);
    expect(second.headers.get('retry-after')).toBe('1');
    expect(((await second.json()) as { errorType: string }).errorType).toBe('ServiceUnavailableException');
    slow.req.end(body.subarray(10));
    expect(await slow.status).toBe(204);
    const third = await fetch(`${url}${path}`, { method: 'POST', headers: await signed(), body });
    expect(third.status).toBe(204);
  });
});
