import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AmpClient, CreateLoggingConfigurationCommand, CreateQueryLoggingConfigurationCommand, CreateWorkspaceCommand } from '@aws-sdk/client-amp';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { compressSync } from 'snappy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeWriteRequestV1 } from '../../src/remote/pb-writer.js';
import { ROOT, startTestAmphora } from './helpers.js';

/** Where AMP writes to CloudWatch Logs, Amphora writes JSON lines under <data-dir>/logs/<workspace>/. */
describe('workspace logging destinations (the real server)', () => {
  let amphora: Awaited<ReturnType<typeof startTestAmphora>>;
  let ws = '';
  const logGroupArn = 'arn:aws:logs:us-east-1:000000000000:log-group:/amp/test:*';
  beforeAll(async () => {
    amphora = await startTestAmphora();
    const amp = new AmpClient({ endpoint: amphora.address, region: 'us-east-1', credentials: ROOT });
    ws = (await amp.send(new CreateWorkspaceCommand({ alias: 'logs' }))).workspaceId!;
    await new Promise((r) => setTimeout(r, 1100));
    await amp.send(new CreateLoggingConfigurationCommand({ workspaceId: ws, logGroupArn }));
    await amp.send(new CreateQueryLoggingConfigurationCommand({ workspaceId: ws, destinations: [{ cloudWatchLogs: { logGroupArn }, filters: { qspThreshold: 1 } }] }));
    await new Promise((r) => setTimeout(r, 1100));
  });
  afterAll(async () => amphora.stop());

  async function signed(method: string, path: string, body?: Uint8Array, headers: Record<string, string> = {}): Promise<Response> {
    const url = new URL(path, amphora.address);
    const s = await new SignatureV4({ service: 'aps', region: 'us-east-1', sha256: Hash.bind(null, 'sha256'), credentials: ROOT }).sign({
      method, protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: url.pathname, query: Object.fromEntries(url.searchParams), headers: { host: url.host, ...headers }, body,
    });
    const { host: _h, ...send } = s.headers as Record<string, string>;
    return fetch(url, { method, headers: send, body });
  }

  it('logs refused remote writes and queries over the samples threshold', async () => {
    const t = Date.now();
    const write = (labels: [string, string][]) =>
      signed('POST', `/workspaces/${ws}/api/v1/remote_write`, compressSync(Buffer.from(encodeWriteRequestV1([{ labels, samples: [{ value: 1, timestamp: t }] }]))), {
        'content-type': 'application/x-protobuf',
        'content-encoding': 'snappy',
      });
    expect((await write([['__name__', 'ok_metric']])).status).toBe(204);
    expect((await write([['__name__', '0bad name']])).status).toBe(400);
    const q = await signed('GET', `/workspaces/${ws}/api/v1/query?${new URLSearchParams({ query: 'ok_metric', time: String(t / 1000) })}`);
    expect(q.status).toBe(200);
    const dir = join(amphora.dataDir, 'logs', ws);
    const ingestion = readFileSync(join(dir, 'ingestion.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(ingestion).toHaveLength(1);
    expect(ingestion[0]).toMatchObject({ workspaceId: ws, logGroupArn, message: { status: 400 } });
    expect(ingestion[0].message.message).toMatch(/metric name/i);
    const queries = readFileSync(join(dir, 'query.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(queries.at(-1)).toMatchObject({ message: { query: 'ok_metric', samplesProcessed: 1 } });
    expect(existsSync(join(dir, 'rules.jsonl'))).toBe(false);
  });
});
