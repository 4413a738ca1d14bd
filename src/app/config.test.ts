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
