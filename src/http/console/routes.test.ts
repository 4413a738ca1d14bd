import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeAuth } from '../../auth/actions.js';
import { nopLogger } from '../../model/logger.js';
import { buildServer } from '../server.js';
import { browserHomeRedirect, consoleRoutes } from './routes.js';

describe('console routes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'amphora-console-'));
  const html = `<!doctype html><html><head><script type="module" src="/console/assets/index-abc.js"></script></head><body>${'console '.repeat(50)}</body></html>`;
  let app: Awaited<ReturnType<typeof buildServer>>;
  beforeAll(async () => {
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), html);
    writeFileSync(join(dir, 'assets', 'index-abc.js'), 'console.log(1);');
    app = await buildServer({
      storage: { corruptBlocks: async () => ({}) },
      logger: nopLogger,
      browserHome: browserHomeRedirect(),
      plugins: [consoleRoutes({ dir, logger: nopLogger }), (a) => void a.get('/', { config: { auth: routeAuth('GET', '/') } }, async () => 'query api')],
    });
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends a browser opening / to the console, and leaves / to the IAM/STS API otherwise', async () => {
    const browser = await app.inject({ method: 'GET', url: '/', headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
    expect(browser.statusCode).toBe(302);
    expect(browser.headers.location).toBe('/console/');
    for (const req of [
      { url: '/', headers: {} },
      { url: '/', headers: { accept: 'text/html', authorization: 'AWS4-HMAC-SHA256 Credential=x' } },
      { url: '/?Action=GetCallerIdentity&Version=2011-06-15', headers: { accept: 'text/html' } },
    ]) {
      expect((await app.inject({ method: 'GET', ...req })).body).toBe('query api');
    }
  });

  it('serves index.html at /console/ (gzip when accepted) with a same-origin content security policy', async () => {
    expect((await app.inject({ method: 'GET', url: '/console' })).headers.location).toBe('/console/');
    const plain = await app.inject({ method: 'GET', url: '/console/' });
    expect(plain.statusCode).toBe(200);
    expect(plain.body).toBe(html);
    expect(plain.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(plain.headers['content-security-policy']).toContain("connect-src 'self'");
    expect(plain.headers['cache-control']).toBe('no-cache');
    const gz = await app.inject({ method: 'GET', url: '/console/', headers: { 'accept-encoding': 'gzip, br' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString()).toBe(html);
  });

  it('caches hashed assets for a year and answers 404 for files it does not have', async () => {
    const js = await app.inject({ method: 'GET', url: '/console/assets/index-abc.js?v=1' });
    expect(js.body).toBe('console.log(1);');
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toContain('immutable');
    expect((await app.inject({ method: 'GET', url: '/console/assets/missing.js' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/console/..%2F..%2Fpackage.json' })).statusCode).toBe(404);
  });

  it('says how to build the console when it is not built', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'amphora-console-empty-'));
    const bare = await buildServer({ storage: { corruptBlocks: async () => ({}) }, logger: nopLogger, plugins: [consoleRoutes({ dir: empty, logger: nopLogger })] });
    const r = await bare.inject({ method: 'GET', url: '/console/' });
    expect(r.statusCode).toBe(503);
    expect(r.body).toMatch(/The console is not built: run `npm run build`/);
    await bare.close();
    rmSync(empty, { recursive: true, force: true });
  });
});
