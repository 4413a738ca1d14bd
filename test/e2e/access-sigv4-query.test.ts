import { fileURLToPath } from 'node:url';
import { compressSync } from 'snappy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeWriteRequestV1 } from '../../src/remote/pb-writer.js';
import { createActiveWorkspace, hasCommand, run } from './access-peers.js';
import { ROOT, signedFetch, startTestAmphora } from './helpers.js';

const CURL = hasCommand('curl');
const BOTOCORE = hasCommand('python3') && (await run('python3', ['-c', 'import botocore'])).status === 0;
if (!CURL) console.warn('skipping curl --aws-sigv4 query interop: curl is not installed');
if (!BOTOCORE) console.warn('skipping botocore query interop: python3 with botocore (apt-get install -y awscli) is not installed');
const BOTOCORE_GET = fileURLToPath(new URL('./testdata/botocore-get.py', import.meta.url));

/** Real signers put `match[]`, `+`, `%20` and lower-case escapes into the query; each verifies against a running Amphora. */
describe.skipIf(!CURL && !BOTOCORE)('SigV4 canonical query: curl --aws-sigv4 and botocore against Amphora', () => {
  let amphora: Awaited<ReturnType<typeof startTestAmphora>>;
  let base = '';
  const sigv4 = () => ['--aws-sigv4', 'aws:amz:us-east-1:aps', '--user', `${ROOT.accessKeyId}:${ROOT.secretAccessKey}`];
  const status = (out: string) => out.trim().split('\n').pop();

  beforeAll(async () => {
    amphora = await startTestAmphora();
    base = `${amphora.address}${await createActiveWorkspace(amphora.address, 'q')}`;
    const t = Date.now();
    const body = compressSync(Buffer.from(encodeWriteRequestV1([
      { labels: [['__name__', 'up'], ['job', 'a b']], samples: [{ value: 1, timestamp: t }] },
      { labels: [['__name__', 'node_load1'], ['job', 'a+b']], samples: [{ value: 2, timestamp: t }] },
    ])));
    const w = await signedFetch(amphora.address, 'POST', `${new URL(base).pathname}/api/v1/remote_write`, body, { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy', 'x-prometheus-remote-write-version': '0.1.0' });
    expect(w.status).toBe(204);
  }, 60_000);
  afterAll(async () => {
    await amphora?.stop();
  });

  it.skipIf(!CURL)('curl --aws-sigv4 with literal brackets, +, %20, %2B and -G --data-urlencode', async () => {
    const curl = (...args: string[]) => run('curl', ['-sS', '-g', '-w', '\n%{http_code}', ...sigv4(), ...args]);
    const literal = await curl(`${base}/api/v1/series?match[]=up&match[]=node_load1`);
    expect(status(literal.stdout), literal.stdout).toBe('200');
    expect(literal.stdout).toContain('"job":"a b"');
    expect(literal.stdout).toContain('"job":"a+b"');
    for (const [q, job] of [['up{job="a+b"}', null], ['up{job="a%20b"}', 'a b'], ['node_load1{job="a%2Bb"}', 'a+b']] as const) {
      const r = await curl(`${base}/api/v1/query?query=${q}`);
      expect(status(r.stdout), `${q}: ${r.stdout}`).toBe('200');
      if (job) expect(r.stdout, q).toContain(`"job":"${job}"`);
    }
    const encoded = await curl('-G', '--data-urlencode', 'match[]={__name__=~"up|node_load1", job=~"a.b"}', '--data-urlencode', 'start=0', `${base}/api/v1/series`);
    expect(status(encoded.stdout), encoded.stdout).toBe('200');
    expect((JSON.parse(encoded.stdout.slice(0, encoded.stdout.lastIndexOf('\n'))) as { data: unknown[] }).data).toHaveLength(2);
    const form = await curl('-G', '--data-urlencode', 'query=sum by (job) (up)', `${base}/api/v1/query`);
    expect(status(form.stdout), form.stdout).toBe('200');
    const wrongSecret = await run('curl', ['-sS', '-g', '-w', '\n%{http_code}', '--aws-sigv4', 'aws:amz:us-east-1:aps', '--user', `${ROOT.accessKeyId}:not-the-secret`, `${base}/api/v1/series?match[]=up`]);
    expect(status(wrongSecret.stdout)).toBe('403');
  });

  it.skipIf(!BOTOCORE)('botocore SigV4Auth (the AWS CLI signer) with literal brackets and + in the URL', async () => {
    for (const url of [`${base}/api/v1/series?match[]=up&match[]=node_load1`, `${base}/api/v1/query?query=up+or+node_load1`, `${base}/api/v1/series?match%5B%5D=up`]) {
      const r = await run('python3', [BOTOCORE_GET, url, ROOT.accessKeyId, ROOT.secretAccessKey]);
      expect(r.stdout.split('\n')[0], `${url}: ${r.stdout}${r.stderr}`).toBe('200');
      expect(r.stdout).toContain('"status":"success"');
    }
  });
});
