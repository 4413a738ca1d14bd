// Each --target starts its subset of the module graph in one process, serves its routes, and
// refuses the routes of the roles it does not run with 404. One data dir goes through backend
// (creates the workspace), write (ingests), read (queries what write stored), then all.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startAmphora, type RunningAmphora } from '../../src/app/amphora.js';
import { loadConfig, type Config } from '../../src/app/config.js';
import { send } from '../../src/auth/authn/fixture.test-util.js';
import { encodeWriteRequestV1 } from '../../src/remote/pb-writer.js';
import { snappy } from '../../src/remote/test-env.js';

const ROOT = { accessKeyId: 'AKIATARGETSTEST00001', secretAccessKey: 'targets-root-secret-key-for-amphora-000' };
const dataDir = mkdtempSync(join(tmpdir(), 'amphora-targets-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function start(target: Config['target']): Promise<RunningAmphora> {
  return startAmphora(
    loadConfig({ flags: { dataDir, target, listen: '127.0.0.1:0', logLevel: 'silent', rootAccessKeyId: ROOT.accessKeyId, rootSecretAccessKey: ROOT.secretAccessKey } }),
  );
}

const T = Date.now() - 60_000;
let ws = '';
const write = (a: RunningAmphora): Promise<Response> =>
  send(a.address, 'POST', `/workspaces/${ws}/api/v1/remote_write`, ROOT, { body: snappy(encodeWriteRequestV1([{ labels: [['__name__', 'up'], ['job', 'targets']], samples: [{ value: 1, timestamp: T }] }])) });
const query = (a: RunningAmphora): Promise<Response> => send(a.address, 'GET', `/workspaces/${ws}/api/v1/query`, ROOT, { query: { query: 'up', time: String(T / 1000) } });
const listWorkspaces = (a: RunningAmphora): Promise<Response> => send(a.address, 'GET', '/workspaces', ROOT);
const callerIdentity = (a: RunningAmphora): Promise<Response> => send(a.address, 'GET', '/', ROOT, { service: 'sts', query: { Action: 'GetCallerIdentity', Version: '2011-06-15' } });

/** expectNotServed checks the 404 a target gives a route of another role, in the route's error shape. */
async function expectNotServed(res: Promise<Response>, target: string, shape: 'prometheus' | 'aws'): Promise<void> {
  const r = await res;
  expect(r.status).toBe(404);
  const body = (await r.json()) as { error?: string; errorType?: string; message?: string };
  if (shape === 'prometheus') {
    expect(body.errorType).toBe('not_found');
    expect(body.error).toContain(`target ${target}`);
  } else {
    expect(r.headers.get('x-amzn-errortype')).toBe('ResourceNotFoundException');
    expect(body.message).toContain(`target ${target}`);
  }
}

describe('amphora --target', () => {
  it('backend serves the control plane and IAM/STS, not remote write or queries', async () => {
    const a = await start('backend');
    try {
      const created = await send(a.address, 'POST', '/workspaces', ROOT, { body: new TextEncoder().encode('{"alias":"targets"}') });
      expect(created.status).toBe(202);
      ws = ((await created.json()) as { workspaceId: string }).workspaceId;
      for (let i = 0; i < 50 && a.controlPlane.workspaces.get(ws)?.status !== 'ACTIVE'; i++) await new Promise((r) => setTimeout(r, 100));
      expect(a.controlPlane.workspaces.get(ws)?.status).toBe('ACTIVE');
      expect((await listWorkspaces(a)).status).toBe(200);
      expect((await callerIdentity(a)).status).toBe(200);
      await expectNotServed(write(a), 'backend', 'prometheus');
      await expectNotServed(query(a), 'backend', 'prometheus');
      expect((await fetch(`${a.address}/-/healthy`)).status).toBe(200);
    } finally {
      await a.close();
    }
  });

  it('write serves remote write and self-metrics, not queries or the control plane', async () => {
    const a = await start('write');
    try {
      expect((await write(a)).status).toBe(204);
      await expectNotServed(query(a), 'write', 'prometheus');
      await expectNotServed(listWorkspaces(a), 'write', 'aws');
      await expectNotServed(callerIdentity(a), 'write', 'aws');
      expect(await (await fetch(`${a.address}/metrics`)).text()).toContain('amphora_tsdb_head_series');
      const unsigned = await fetch(`${a.address}/workspaces/${ws}/api/v1/remote_write`, { method: 'POST' });
      expect(unsigned.status).toBe(403);
    } finally {
      await a.close();
    }
  });

  it('read queries what the write target stored in the data dir, and serves neither writes nor the control plane', async () => {
    const a = await start('read');
    try {
      const r = await query(a);
      expect(r.status).toBe(200);
      const body = (await r.json()) as { data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
      expect(body.data.result).toEqual([{ metric: { __name__: 'up', job: 'targets' }, value: [T / 1000, '1'] }]);
      await expectNotServed(write(a), 'read', 'prometheus');
      await expectNotServed(listWorkspaces(a), 'read', 'aws');
    } finally {
      await a.close();
    }
  });

  it('all serves every role, and answers routes not built yet with 501', async () => {
    const a = await start('all');
    try {
      expect((await write(a)).status).toBe(204);
      expect((await query(a)).status).toBe(200);
      expect((await listWorkspaces(a)).status).toBe(200);
      expect((await callerIdentity(a)).status).toBe(200);
      const missing = await send(a.address, 'GET', `/workspaces/${ws}/alertmanager/api/v2/alerts`, ROOT);
      expect(missing.status).toBe(501);
    } finally {
      await a.close();
    }
  });

  it('refuses an unknown target when the configuration is loaded', () => {
    expect(() => loadConfig({ env: { AMPHORA_TARGET: 'ingester' } })).toThrow(/target: Invalid enum value. Expected 'all' \| 'write' \| 'read' \| 'backend'/);
    expect(loadConfig({ env: { AMPHORA_TARGET: 'read' } }).target).toBe('read');
  });
});
