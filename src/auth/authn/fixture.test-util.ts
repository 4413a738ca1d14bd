import Fastify, { type FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../model/logger.js';
import { openMetaDB } from '../../metadb/metadb.js';
import { SqliteIdentityStore } from '../store/identity-store.js';
import { routeAuth } from '../actions.js';
import { authErrorHandler, createAuthHook, installAuthHooks, type AuthHookDeps } from './hook.js';
import type { RoutePlugin } from '../../http/server.js';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';

/** ROOT are the test root credentials. */
export const ROOT = { accessKeyId: 'AKIAROOTTESTKEY00001', secretAccessKey: 'root/Secret+Key/0123456789abcdefghijklmn' };

/** LogEntry is one captured log call. */
export interface LogEntry {
  level: string;
  obj: Record<string, unknown>;
  msg?: string;
}

/** captureLogger records every log call. */
export function captureLogger(): { logger: Logger; entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const at =
    (level: string) =>
    (a: object | string, msg?: string): void => {
      entries.push(typeof a === 'string' ? { level, obj: {}, msg: a } : { level, obj: a as Record<string, unknown>, ...(msg !== undefined ? { msg } : {}) });
    };
  return { logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }, entries };
}

/** TestClock is an adjustable clock: real time plus an offset. */
export interface TestClock {
  now: () => number;
  offsetMs: number;
}

/** newClock returns a clock following real time (AWS SDK clients sign with the real clock). */
export function newClock(): TestClock {
  const c: TestClock = { offsetMs: 0, now: () => Date.now() + c.offsetMs };
  return c;
}

/** newStore opens an in-memory identity store with the test root key. */
export function newStore(clock: TestClock): SqliteIdentityStore {
  return new SqliteIdentityStore({ db: openMetaDB(':memory:'), root: ROOT, now: clock.now });
}

const W = '/workspaces/:workspaceId';

/** dataPlaneRoutes registers dummy routes guarded by the action table (handlers answer what AMP would). */
export const dataPlaneRoutes: RoutePlugin = (app) => {
  app.post(`${W}/api/v1/remote_write`, { config: { auth: routeAuth('POST', `${W}/api/v1/remote_write`) } }, async (_req, reply) => reply.code(204).send());
  app.get(`${W}/api/v1/query`, { config: { auth: routeAuth('GET', `${W}/api/v1/query`) } }, async () => ({ status: 'success', data: { resultType: 'vector', result: [] } }));
  app.get('/workspaces', { config: { auth: routeAuth('GET', '/workspaces') } }, async () => ({ workspaces: [] }));
  app.get(W, { config: { auth: routeAuth('GET', W) } }, async (req) => {
    const id = (req.params as { workspaceId: string }).workspaceId;
    return { workspace: { workspaceId: id, arn: `arn:aws:aps:us-east-1:000000000000:workspace/${id}`, status: { statusCode: 'ACTIVE' }, createdAt: 1700000000 } };
  });
  // A handler that authorises itself after the hook (request.authorize inside the handler).
  app.get('/self-check/:workspaceId', { config: { auth: { service: 'aps', action: null, resource: () => '*', errorShape: 'aws-json' } } }, async (req) => {
    req.authorize!('aps:DeleteWorkspace', `arn:aws:aps:us-east-1:000000000000:workspace/${(req.params as { workspaceId: string }).workspaceId}`);
    return { ok: true };
  });
  app.get('/-/healthy', { config: { auth: 'public' } }, async () => 'ok');
  app.get('/undeclared', async () => 'should not be served');
};

/** startApp builds a Fastify app like src/http/server.ts (raw Buffer bodies) with the auth hook and the given plugins, listening on a random port. */
export async function startApp(deps: AuthHookDeps, plugins: RoutePlugin[]): Promise<{ app: FastifyInstance; url: string }> {
  const app = Fastify({ logger: false });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  installAuthHooks(app, createAuthHook(deps));
  app.setErrorHandler(authErrorHandler((err, _req, reply) => reply.code(500).send({ message: err.message })));
  for (const p of plugins) await p(app);
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` };
}

/** Creds are AWS credentials for test requests. */
export type Creds = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

/** send signs a request with @smithy/signature-v4 at the given time and sends it with fetch. */
export async function send(base: string, method: string, path: string, creds: Creds, opts: { body?: Uint8Array; at?: Date; service?: string; query?: Record<string, string> } = {}): Promise<Response> {
  const u = new URL(base);
  const signer = new SignatureV4({ credentials: creds, region: 'us-east-1', service: opts.service ?? 'aps', sha256: Hash.bind(null, 'sha256') });
  const signed = await signer.sign(
    { method, protocol: 'http:', hostname: u.hostname, port: Number(u.port), path, query: opts.query ?? {}, headers: { host: u.host, ...(opts.body ? { 'content-type': 'application/x-protobuf' } : {}) }, body: opts.body },
    { signingDate: opts.at ?? new Date() },
  );
  const qs = new URLSearchParams(opts.query ?? {}).toString();
  return fetch(`${base}${path}${qs ? `?${qs.replace(/\+/g, '%20')}` : ''}`, { method, headers: signed.headers as Record<string, string>, ...(opts.body ? { body: opts.body } : {}) });
}

