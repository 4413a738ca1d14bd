import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig: query section', () => {
  it('defaults to cores - 1 workers (at least 2) and documented caps', () => {
    expect(loadConfig({}).query).toEqual({
      workers: Math.max(2, availableParallelism() - 1),
      maxOldGenerationMb: 1024,
      maxYoungGenerationMb: 64,
      maxResultBytes: 256 * 1024 * 1024,
      maxHeadSelectBytes: 256 * 1024 * 1024,
      maxQueuedPerWorkspace: 64,
      warmUpMs: 250,
      maxTimeout: 120_000,
      maxFederatedWorkspaces: 10,
    });
  });

  it('reads AMPHORA_QUERY_* environment variables', () => {
    const env = { AMPHORA_QUERY_WORKERS: '3', AMPHORA_QUERY_MAX_RESULT_BYTES: '1048576', AMPHORA_QUERY_MAX_QUEUED_PER_WORKSPACE: '5' };
    expect(loadConfig({ env }).query).toMatchObject({ workers: 3, maxResultBytes: 1_048_576, maxQueuedPerWorkspace: 5 });
  });

  it('refuses a pool without workers', () => {
    expect(() => loadConfig({ env: { AMPHORA_QUERY_WORKERS: '0' } })).toThrow(ConfigError);
    expect(() => loadConfig({ env: { AMPHORA_QUERY_WORKERS: '0' } })).toThrow(/query\.workers/);
  });
});

describe('loadConfig: tls and auth sections', () => {
  it('reads AMPHORA_TLS_* and AMPHORA_KEK*, and flags override only the tls keys they name', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const file = join(mkdtempSync(join(tmpdir(), 'amphora-config-')), 'amphora.yml');
    writeFileSync(file, 'tls:\n  certFile: /file.crt\n  keyFile: /file.key\n  clientCAFile: /ca.crt\n  clientAuth: optional\nauth:\n  kekFile: /kek\n');
    expect(loadConfig({ file }).tls).toEqual({ certFile: '/file.crt', keyFile: '/file.key', clientCAFile: '/ca.crt', clientAuth: 'optional' });
    const env = { AMPHORA_TLS_KEY_FILE: '/env.key', AMPHORA_KEK: 'k'.repeat(43) + '=' };
    const c = loadConfig({ file, env, flags: { tls: { certFile: '/flag.crt', keyFile: undefined } } });
    expect(c.tls).toEqual({ certFile: '/flag.crt', keyFile: '/env.key', clientCAFile: '/ca.crt', clientAuth: 'optional' });
    expect(c.auth).toEqual({ kekFile: '/kek', kek: 'k'.repeat(43) + '=' });
    expect(loadConfig({}).tls).toBeUndefined();
    expect(loadConfig({ env: { AMPHORA_TLS_CERT_FILE: '/a', AMPHORA_TLS_KEY_FILE: '/b' } }).tls).toEqual({ certFile: '/a', keyFile: '/b', clientAuth: 'none' });
  });

  it('refuses half a TLS setup and client authentication without a CA, naming the key', () => {
    expect(() => loadConfig({ env: { AMPHORA_TLS_CERT_FILE: '/a' } })).toThrow(/tls\.keyFile: Required/);
    expect(() => loadConfig({ env: { AMPHORA_TLS_CERT_FILE: '/a', AMPHORA_TLS_KEY_FILE: '/b', AMPHORA_TLS_CLIENT_AUTH: 'require' } })).toThrow(/tls\.clientCAFile: clientAuth 'require' needs clientCAFile/);
  });
});

describe('security settings', () => {
  it('reads metrics.requireAuth and auth.jwksDir from the environment and refuses a non-boolean', () => {
    const c = loadConfig({ env: { AMPHORA_METRICS_REQUIRE_AUTH: 'false', AMPHORA_AUTH_JWKS_DIR: '/etc/amphora/jwks' } });
    expect(c.metrics.requireAuth).toBe(false);
    expect(c.auth.jwksDir).toBe('/etc/amphora/jwks');
    expect(loadConfig({}).metrics.requireAuth).toBeUndefined();
    expect(() => loadConfig({ env: { AMPHORA_METRICS_REQUIRE_AUTH: 'yes' } })).toThrow(/metrics\.requireAuth/);
  });
});

describe('storage settings', () => {
  it('compresses the WAL by default; AMPHORA_STORAGE_WAL_COMPRESSION=false turns it off; a non-boolean is refused', () => {
    expect(loadConfig({}).storage.walCompression).toBe(true);
    expect(loadConfig({ env: { AMPHORA_STORAGE_WAL_COMPRESSION: 'false' } }).storage.walCompression).toBe(false);
    expect(() => loadConfig({ env: { AMPHORA_STORAGE_WAL_COMPRESSION: 'off' } })).toThrow(/storage\.walCompression/);
  });
});

describe('loadConfig: malformed YAML (fuzz regression)', () => {
  it('reports a YAML syntax error as a ConfigError naming the file (was a bare YAMLParseError)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'amphora-config-'));
    try {
      const file = join(dir, 'amphora.yaml');
      writeFileSync(file, '`ataDir: ./data\n');
      expect(() => loadConfig({ file, env: {} })).toThrow(ConfigError);
      expect(() => loadConfig({ file, env: {} })).toThrow(`config file ${file} is not valid YAML`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
