import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsRequest, Agent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, createServer, type TLSSocket, type Server as TlsServer } from 'node:tls';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nopLogger } from '../../model/logger.js';
import { buildServer } from '../server.js';
import { loadTls, TlsConfigError } from './options.js';
import { reloadTls } from './reload.js';
import { TlsSettingsSchema, type TlsSettings } from './settings.js';
import { createTestPki, HAVE_OPENSSL, SERVER_SAN, type TestPki } from './test-support.js';

if (!HAVE_OPENSSL) console.warn('skipping TLS listener tests: openssl is not on PATH (apt-get install -y openssl)');

/** handshake connects with the given protocol range and resolves with the negotiated protocol, or rejects. */
function handshake(port: number, ca: Buffer | string, min: 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3', max: 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3'): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port, ca, minVersion: min, maxVersion: max, ciphers: 'DEFAULT@SECLEVEL=0' }, () => {
      const p = s.getProtocol() ?? '';
      s.end();
      resolve(p);
    });
    s.on('error', reject);
  });
}

/** get sends GET path over the agent and resolves with the body, whether the socket was reused and the server certificate's fingerprint. */
function get(port: number, agent: Agent, path: string): Promise<{ body: string; reused: boolean; fingerprint: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest({ host: '127.0.0.1', port, path, agent }, (res) => {
      const fingerprint = (res.socket as TLSSocket).getPeerCertificate().fingerprint256;
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ body, reused: req.reusedSocket, fingerprint }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe.skipIf(!HAVE_OPENSSL)('TLS listener', () => {
  let dir: string;
  let pki: TestPki;
  let settings: TlsSettings;
  let app: FastifyInstance;
  let port: number;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'amphora-tls-'));
    pki = createTestPki(dir);
    const first = pki.issue('server-1', { cn: 'amphora one', san: SERVER_SAN, usage: 'serverAuth' });
    pki.issue('server-2', { cn: 'amphora two', san: SERVER_SAN, usage: 'serverAuth' });
    copyFileSync(first.certFile, join(dir, 'live.crt'));
    copyFileSync(first.keyFile, join(dir, 'live.key'));
    settings = TlsSettingsSchema.parse({ certFile: join(dir, 'live.crt'), keyFile: join(dir, 'live.key') });
    app = await buildServer({ storage: { corruptBlocks: async () => ({}) }, logger: nopLogger, https: loadTls(settings).options });
    await app.listen({ host: '127.0.0.1', port: 0 });
    port = (app.server.address() as { port: number }).port;
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('speaks TLS 1.2 and 1.3 and refuses TLS 1.1 (which the same client negotiates with a server allowing it)', async () => {
    const ca = pki.caFile;
    const caPem = readFileSync(ca);
    expect(await handshake(port, caPem, 'TLSv1.3', 'TLSv1.3')).toBe('TLSv1.3');
    expect(await handshake(port, caPem, 'TLSv1.2', 'TLSv1.2')).toBe('TLSv1.2');
    await expect(handshake(port, caPem, 'TLSv1.1', 'TLSv1.1')).rejects.toThrow(/protocol version|alert|wrong version|unsupported/i);
    // Control: a server that allows TLS 1.1 negotiates it with that client, so the refusal above is the listener's.
    const old: TlsServer = createServer({ ...loadTls(settings).options, minVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' }, (s) => s.end());
    await new Promise<void>((r) => old.listen(0, '127.0.0.1', r));
    try {
      expect(await handshake((old.address() as { port: number }).port, caPem, 'TLSv1.1', 'TLSv1.1')).toBe('TLSv1.1');
    } finally {
      old.close();
    }
  });

  it('answers HTTPS requests with the certificate the client trusts through the CA', async () => {
    const agent = new Agent({ ca: readFileSync(pki.caFile) });
    const r = await get(port, agent, '/-/healthy');
    expect(r.body).toContain('Healthy');
    agent.destroy();
  });

  it('reloads the certificate: a new connection sees the new one, an open keep-alive connection keeps working', async () => {
    const ca = readFileSync(pki.caFile);
    const kept = new Agent({ ca, keepAlive: true, maxSockets: 1 });
    const before = await get(port, kept, '/-/healthy');
    copyFileSync(join(dir, 'server-2.crt'), join(dir, 'live.crt'));
    copyFileSync(join(dir, 'server-2.key'), join(dir, 'live.key'));
    expect(reloadTls(app.server as unknown as TlsServer, settings, nopLogger)).toBe(true);
    const fresh = new Agent({ ca });
    const after = await get(port, fresh, '/-/healthy');
    expect(after.fingerprint).not.toBe(before.fingerprint);
    const again = await get(port, kept, '/-/healthy');
    expect(again.reused).toBe(true);
    expect(again.body).toContain('Healthy');
    expect(again.fingerprint).toBe(before.fingerprint);
    kept.destroy();
    fresh.destroy();
  });

  it('keeps the previous certificate when the new files cannot be used', async () => {
    const ca = readFileSync(pki.caFile);
    const before = await get(port, new Agent({ ca }), '/-/healthy');
    writeFileSync(join(dir, 'live.key'), 'not a key');
    expect(reloadTls(app.server as unknown as TlsServer, settings, nopLogger)).toBe(false);
    const after = await get(port, new Agent({ ca }), '/-/healthy');
    expect(after.fingerprint).toBe(before.fingerprint);
  });

  it('refuses, naming the files, a key that does not match the certificate or a file that is missing', () => {
    const s = TlsSettingsSchema.parse({ certFile: join(dir, 'server-1.crt'), keyFile: join(dir, 'server-2.key') });
    expect(() => loadTls(s)).toThrow(TlsConfigError);
    expect(() => loadTls(s)).toThrow(/server-1\.crt with key .*server-2\.key cannot be used/);
    expect(() => loadTls({ ...s, keyFile: join(dir, 'absent.key') })).toThrow(/cannot read the TLS key .*absent\.key/);
  });

  it("with clientAuth 'require', ends the handshake of a client without a certificate from the CA", async () => {
    const client = pki.issue('client', { cn: 'someone', usage: 'clientAuth' });
    const s = TlsSettingsSchema.parse({ certFile: join(dir, 'server-1.crt'), keyFile: join(dir, 'server-1.key'), clientCAFile: pki.caFile, clientAuth: 'require' });
    const strict = await buildServer({ storage: { corruptBlocks: async () => ({}) }, logger: nopLogger, https: loadTls(s).options });
    await strict.listen({ host: '127.0.0.1', port: 0 });
    const p = (strict.server.address() as { port: number }).port;
    try {
      const ca = readFileSync(pki.caFile);
      const ok = await get(p, new Agent({ ca, cert: readFileSync(client.certFile), key: readFileSync(client.keyFile) }), '/-/healthy');
      expect(ok.body).toContain('Healthy');
      await expect(get(p, new Agent({ ca }), '/-/healthy')).rejects.toThrow(/certificate|alert|socket hang up|ECONNRESET/i);
    } finally {
      await strict.close();
    }
  });

  it('validates the settings: client authentication needs a CA', () => {
    expect(() => TlsSettingsSchema.parse({ certFile: 'a', keyFile: 'b', clientAuth: 'require' })).toThrow(/needs clientCAFile/);
    expect(() => TlsSettingsSchema.parse({ certFile: 'a' })).toThrow(/keyFile/);
  });
});
