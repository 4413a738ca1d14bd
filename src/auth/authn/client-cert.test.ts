import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTls } from '../../http/tls/options.js';
import { createTestPki, HAVE_OPENSSL, SERVER_SAN } from '../../http/tls/test-support.js';
import { AmazonPrometheusQueryAccess, AmazonPrometheusRemoteWriteAccess } from '../policy/managed.js';
import { tagsToRecord } from '../store/context.js';
import type { SqliteIdentityStore } from '../store/identity-store.js';
import { createClientCertAuthenticator } from './client-cert.js';
import { captureLogger, dataPlaneRoutes, newClock, newStore, ROOT, send, startApp, type Creds } from './fixture.test-util.js';
import { authErrorHandler, createAuthHook, installAuthHooks, type AuthHookDeps } from './hook.js';

if (!HAVE_OPENSSL) console.warn('skipping client-certificate (mTLS) tests: openssl is not on PATH');

const TLS_ONLY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'aps:QueryMetrics', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } }],
});

interface Reply {
  status: number;
  body: string;
}

describe.skipIf(!HAVE_OPENSSL)('client certificates (mTLS) and aws:SecureTransport', () => {
  const clock = newClock();
  const { logger, entries } = captureLogger();
  let dir: string;
  let store: SqliteIdentityStore;
  let tlsApp: FastifyInstance;
  let port: number;
  let ca: Buffer;
  const certs: Record<string, { cert: Buffer; key: Buffer }> = {};
  let secureOnly: Creds;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'amphora-mtls-'));
    const pki = createTestPki(dir);
    const server = pki.issue('server', { cn: 'amphora', san: SERVER_SAN, usage: 'serverAuth' });
    const issue = (name: string, cn: string, san?: string): void => {
      const c = pki.issue(name, { cn, usage: 'clientAuth', ...(san ? { san } : {}) });
      certs[name] = { cert: readFileSync(c.certFile), key: readFileSync(c.keyFile) };
    };
    issue('writer', 'writer');
    issue('pathed', 'anything', 'URI:arn:aws:iam::000000000000:user/team/pathed');
    issue('wrong-path', 'x', 'URI:arn:aws:iam::000000000000:user/pathed');
    issue('role', 'collector-1', 'URI:arn:aws:iam::000000000000:role/ingest/collector');
    issue('other-account', 'writer', 'URI:arn:aws:iam::111111111111:user/writer');
    issue('nobody', 'nobody');
    issue('two', 'writer', 'URI:arn:aws:iam::000000000000:user/writer,URI:arn:aws:iam::000000000000:user/team/pathed');
    const stranger = createTestPki(dir, 'other-ca');
    const s = stranger.issue('stranger', { cn: 'writer', usage: 'clientAuth' });
    certs['stranger'] = { cert: readFileSync(s.certFile), key: readFileSync(s.keyFile) };
    ca = readFileSync(pki.caFile);

    store = newStore(clock);
    store.users.create({ userName: 'writer' });
    store.entityPolicies.attach('user', 'writer', AmazonPrometheusRemoteWriteAccess.arn);
    store.users.create({ userName: 'pathed', path: '/team/' });
    store.entityPolicies.attach('user', 'pathed', AmazonPrometheusQueryAccess.arn);
    store.roles.create({ roleName: 'collector', path: '/ingest/', assumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [] }) });
    store.entityPolicies.attach('role', 'collector', AmazonPrometheusRemoteWriteAccess.arn);
    store.users.create({ userName: 'secure-only' });
    store.entityPolicies.putInline('user', 'secure-only', 'tls-only', TLS_ONLY);
    const k = store.accessKeys.create('secure-only');
    secureOnly = { accessKeyId: k.accessKeyId, secretAccessKey: k.secretAccessKey };

    const deps: AuthHookDeps = {
      store, region: 'us-east-1', logger, now: clock.now,
      clientCertPrincipal: createClientCertAuthenticator({
        accountId: store.accountId,
        userByName: (n) => {
          const u = store.users.find(n);
          return u ? { ...u, tags: tagsToRecord(u.tags) } : null;
        },
        roleByArn: (arn) => store.getRoleByArn(arn),
      }),
    };
    const tls = loadTls({ certFile: server.certFile, keyFile: server.keyFile, clientCAFile: pki.caFile, clientAuth: 'optional' });
    tlsApp = Fastify({ https: tls.options }) as unknown as FastifyInstance;
    tlsApp.removeAllContentTypeParsers();
    tlsApp.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    installAuthHooks(tlsApp, createAuthHook(deps));
    tlsApp.setErrorHandler(authErrorHandler((err, _req, reply) => reply.code(500).send({ message: err.message })));
    tlsApp.get('/whoami/:workspaceId', { config: { auth: { service: 'aps', action: null, resource: () => '*', errorShape: 'aws-json' } } }, async (req) => ({ arn: req.principal?.arn, userId: req.principal?.userId }));
    await dataPlaneRoutes(tlsApp);
    await tlsApp.listen({ host: '127.0.0.1', port: 0 });
    port = (tlsApp.server.address() as { port: number }).port;
  });
  afterAll(async () => {
    await tlsApp.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function call(method: string, path: string, o: { cert?: string; sign?: Creds } = {}): Promise<Reply> {
    let headers: Record<string, string> = {};
    const body = method === 'POST' ? Buffer.from([1, 2, 3]) : undefined;
    if (o.sign) {
      const signer = new SignatureV4({ credentials: o.sign, region: 'us-east-1', service: 'aps', sha256: Hash.bind(null, 'sha256') });
      const signed = await signer.sign({ method, protocol: 'https:', hostname: '127.0.0.1', port, path, query: {}, headers: { host: `127.0.0.1:${port}` }, ...(body ? { body } : {}) });
      headers = signed.headers as Record<string, string>;
    }
    const client = o.cert ? certs[o.cert]! : undefined;
    return new Promise((resolve, reject) => {
      const req = httpsRequest({ host: '127.0.0.1', port, method, path, ca, headers, ...(client ? { cert: client.cert, key: client.key } : {}), agent: false }, (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, body: text }));
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  it('maps certificates to principals that go through the same policies (table)', async () => {
    const table: [string, string | undefined, string, string, number, RegExp?][] = [
      ['CN names a user with remote-write access', 'writer', 'POST', '/workspaces/ws-1/api/v1/remote_write', 204],
      ['the same user cannot query', 'writer', 'GET', '/workspaces/ws-1/api/v1/query', 403, /writer is not authorized to perform: aps:QueryMetrics/],
      ['SAN user ARN with its path', 'pathed', 'GET', '/workspaces/ws-1/api/v1/query', 200],
      ['SAN user ARN with the wrong path', 'wrong-path', 'GET', '/workspaces/ws-1/api/v1/query', 403, /user\/pathed, which does not exist/],
      ['SAN role ARN is a session of the role', 'role', 'POST', '/workspaces/ws-1/api/v1/remote_write', 204],
      ['another account', 'other-account', 'POST', '/workspaces/ws-1/api/v1/remote_write', 403, /not in account 000000000000/],
      ['CN naming no user', 'nobody', 'POST', '/workspaces/ws-1/api/v1/remote_write', 403, /names no IAM user/],
      ['two ARNs', 'two', 'POST', '/workspaces/ws-1/api/v1/remote_write', 403, /names 2 ARNs/],
      ['a certificate from another CA is not a principal', 'stranger', 'POST', '/workspaces/ws-1/api/v1/remote_write', 403, /MissingAuthenticationToken|Missing Authentication Token/],
      ['no certificate and no signature', undefined, 'POST', '/workspaces/ws-1/api/v1/remote_write', 403, /Missing Authentication Token/],
    ];
    for (const [name, cert, method, path, status, body] of table) {
      const r = await call(method, path, cert ? { cert } : {});
      expect(r.status, name).toBe(status);
      if (body) expect(r.body, name).toMatch(body);
    }
  });

  it('names the role session after the certificate CN', async () => {
    const r = await call('GET', '/whoami/ws-1', { cert: 'role' });
    expect(JSON.parse(r.body).arn).toBe('arn:aws:sts::000000000000:assumed-role/collector/collector-1');
  });

  it('a signed request is its signer even with a certificate (root queries although the certificate user may not)', async () => {
    const r = await call('GET', '/workspaces/ws-1/api/v1/query', { cert: 'writer', sign: ROOT });
    expect(r.status).toBe(200);
  });

  it('sets aws:SecureTransport: a TLS-only policy allows over TLS and denies over plain HTTP', async () => {
    expect((await call('GET', '/workspaces/ws-1/api/v1/query', { sign: secureOnly })).status).toBe(200);
    const { app, url } = await startApp({ store, region: 'us-east-1', logger, now: clock.now }, [dataPlaneRoutes]);
    try {
      const plain = await send(url, 'GET', '/workspaces/ws-1/api/v1/query', secureOnly);
      expect(plain.status).toBe(403);
    } finally {
      await app.close();
    }
  });

  it('logs a refused certificate without the certificate itself', () => {
    const line = entries.find((e) => e.obj.event === 'authentication_failed' && String(e.obj.reason).includes('nobody'));
    expect(line?.obj.code).toBe('InvalidClientTokenId');
    expect(JSON.stringify(entries)).not.toContain('BEGIN CERTIFICATE');
  });
});
