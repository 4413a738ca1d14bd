// The article flows of managed collectors through the AWS CLI against the real server: the EKS-compatible
// cluster registry (register, describe with the IRSA script's query, list, deregister) and the scraper
// commands (default configuration, create with a registered cluster, wait, describe, list, delete).
import { execFile, spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/app/config.js';
import { ROOT, startTestAmphora } from './helpers.js';

const run = promisify(execFile);
const HAVE_AWS = spawnSync('sh', ['-c', 'command -v aws']).status === 0;
if (!HAVE_AWS) console.warn('AWS CLI not on PATH: the collectors AWS CLI test is skipped (apt-get install -y awscli)');

const ISSUER = 'https://oidc.eks.us-east-1.amazonaws.com/id/AMPHORACOLLECTORS000000000000';

describe.skipIf(!HAVE_AWS)('collectors through the AWS CLI (real server)', () => {
  let amphora: Awaited<ReturnType<typeof startTestAmphora>>;
  let kube: Server;
  let kubeUrl = '';
  const env = (): NodeJS.ProcessEnv => ({
    PATH: process.env.PATH,
    HOME: amphora.dataDir,
    AWS_ACCESS_KEY_ID: ROOT.accessKeyId,
    AWS_SECRET_ACCESS_KEY: ROOT.secretAccessKey,
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_ENDPOINT_URL_EKS: amphora.address,
    AWS_ENDPOINT_URL_AMP: amphora.address,
  });
  const aws = async (...args: string[]): Promise<Record<string, unknown>> => {
    const { stdout } = await run('aws', [...args, '--output', 'json'], { env: env() });
    return stdout.trim() === '' ? {} : (JSON.parse(stdout) as Record<string, unknown>);
  };
  const awsError = async (...args: string[]): Promise<string> => {
    try {
      await aws(...args);
    } catch (e) {
      return String((e as { stderr?: string }).stderr);
    }
    throw new Error('expected the command to fail');
  };

  beforeAll(async () => {
    // A Kubernetes API server stand-in: GET /version answers only the scraper's bearer token.
    kube = createServer((req, res) => {
      if (req.headers.authorization !== 'Bearer collector-token') return void res.writeHead(401).end('{"kind":"Status","code":401}');
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ major: '1', minor: '29', gitVersion: 'v1.29.0' }));
    });
    await new Promise<void>((r) => kube.listen(0, '127.0.0.1', r));
    kubeUrl = `http://127.0.0.1:${(kube.address() as { port: number }).port}`;
    amphora = await startTestAmphora({
      clusters: { static: [{ name: 'from-config', apiServer: kubeUrl, token: 'collector-token', oidcIssuer: ISSUER }], connections: { lab: { apiServer: kubeUrl, token: 'collector-token' }, wrong: { apiServer: kubeUrl, token: 'stale' } } },
    } as Partial<Config>);
  });
  afterAll(async () => {
    await amphora?.stop();
    kube?.close();
  });

  it('registers, describes (the IRSA script line), lists and deregisters clusters in EKS wire format', async () => {
    const reg = (await aws('eks', 'register-cluster', '--name', 'demo', '--connector-config', 'roleArn=arn:aws:iam::000000000000:role/connector,provider=OTHER', '--tags', `amphora.io/connection=lab,amphora.io/oidc-issuer=${ISSUER},team=obs`))['cluster'] as Record<string, unknown>;
    expect(reg).toMatchObject({ name: 'demo', arn: 'arn:aws:eks:us-east-1:000000000000:cluster/demo', status: 'ACTIVE', endpoint: kubeUrl, connectorConfig: { provider: 'OTHER', roleArn: 'arn:aws:iam::000000000000:role/connector' } });
    // The IRSA script of article 000, unchanged (the endpoint comes from AWS_ENDPOINT_URL_EKS).
    const { stdout } = await run('sh', ['-c', 'aws eks describe-cluster --name $CLUSTER_NAME --query "cluster.identity.oidc.issuer" --output text | sed -e "s/^https:\\/\\///"'], { env: { ...env(), CLUSTER_NAME: 'demo' } });
    expect(stdout.trim()).toBe(ISSUER.slice('https://'.length));
    const viaFlag = await run('aws', ['eks', 'describe-cluster', '--name', 'from-config', '--endpoint-url', amphora.address, '--query', 'cluster.identity.oidc.issuer', '--output', 'text'], { env: { ...env(), AWS_ENDPOINT_URL_EKS: '' } });
    expect(viaFlag.stdout.trim()).toBe(ISSUER);

    expect((await aws('eks', 'list-clusters'))['clusters']).toEqual(['from-config']);
    expect((await aws('eks', 'list-clusters', '--include', 'all'))['clusters']).toEqual(['from-config', 'demo']);
    expect(await awsError('eks', 'register-cluster', '--name', 'demo', '--connector-config', 'roleArn=arn:aws:iam::000000000000:role/connector,provider=OTHER')).toContain('ResourceInUseException');
    expect(await awsError('eks', 'register-cluster', '--name', 'evil', '--connector-config', 'roleArn=arn:aws:iam::000000000000:role/connector,provider=OTHER', '--tags', 'amphora.io/connection=lab,amphora.io/api-server=http://127.0.0.2:1')).toContain('InvalidParameterException');
    expect(await awsError('eks', 'describe-cluster', '--name', 'nope')).toContain('ResourceNotFoundException');
    expect(await awsError('eks', 'deregister-cluster', '--name', 'from-config')).toContain('InvalidRequestException');
    const gone = (await aws('eks', 'deregister-cluster', '--name', 'demo'))['cluster'] as Record<string, unknown>;
    expect(gone['status']).toBe('DELETING');
    expect(await awsError('eks', 'describe-cluster', '--name', 'demo')).toContain('ResourceNotFoundException');
  }, 120_000);

  it('runs the scraper article commands with a registered cluster, and fails a scraper whose cluster refuses it', async () => {
    const ws = (await aws('amp', 'create-workspace', '--alias', 'collectors'))['arn'] as string;
    const { stdout: defaultYaml } = await run('sh', ['-c', 'aws amp get-default-scraper-configuration --output text | base64 -d'], { env: env() });
    expect(defaultYaml).toContain('job_name: pod_exporter');
    const edited = defaultYaml.replace('scrape_interval: 30s', 'scrape_interval: 60s');
    const file = join(amphora.dataDir, 'scraper.json');
    writeFileSync(file, JSON.stringify({ configurationBlob: edited }));
    const cluster = 'arn:aws:eks:us-east-1:000000000000:cluster/from-config';
    const created = await aws('amp', 'create-scraper', '--alias', 'article', '--source', `eksConfiguration={clusterArn=${cluster},subnetIds=[subnet-1]}`, '--destination', `ampConfiguration={workspaceArn=${ws}}`, '--scrape-configuration', `file://${file}`);
    const id = created['scraperId'] as string;
    expect(created['status']).toEqual({ statusCode: 'CREATING' });
    await aws('amp', 'wait', 'scraper-active', '--scraper-id', id);
    const d = (await aws('amp', 'describe-scraper', '--scraper-id', id))['scraper'] as Record<string, unknown>;
    expect(d).toMatchObject({ alias: 'article', status: { statusCode: 'ACTIVE' }, source: { eksConfiguration: { clusterArn: cluster } } });
    expect(Buffer.from((d['scrapeConfiguration'] as { configurationBlob: string }).configurationBlob, 'base64').toString('utf8')).toBe(edited);
    const listed = (await aws('amp', 'list-scrapers', '--filters', 'status=ACTIVE'))['scrapers'] as Record<string, unknown>[];
    expect(listed.map((s) => s['scraperId'])).toEqual([id]);

    await aws('eks', 'register-cluster', '--name', 'locked', '--connector-config', 'roleArn=arn:aws:iam::000000000000:role/connector,provider=OTHER', '--tags', 'amphora.io/connection=wrong');
    const failing = (await aws('amp', 'create-scraper', '--source', 'eksConfiguration={clusterArn=arn:aws:eks:us-east-1:000000000000:cluster/locked,subnetIds=[subnet-1]}', '--destination', `ampConfiguration={workspaceArn=${ws}}`, '--scrape-configuration', `file://${file}`))['scraperId'] as string;
    expect(await awsError('amp', 'wait', 'scraper-active', '--scraper-id', failing)).toMatch(/Waiter ScraperActive failed/);
    const f = (await aws('amp', 'describe-scraper', '--scraper-id', failing))['scraper'] as Record<string, unknown>;
    expect(f['status']).toEqual({ statusCode: 'CREATION_FAILED' });
    expect(f['statusReason']).toMatch(/refused the scraper's credentials \(HTTP 401\)/);
    expect(await awsError('amp', 'create-scraper', '--source', 'eksConfiguration={clusterArn=arn:aws:eks:us-east-1:000000000000:cluster/unknown,subnetIds=[subnet-1]}', '--destination', `ampConfiguration={workspaceArn=${ws}}`, '--scrape-configuration', `file://${file}`)).toContain('ResourceNotFoundException');

    await aws('amp', 'delete-scraper', '--scraper-id', id);
    await aws('amp', 'wait', 'scraper-deleted', '--scraper-id', id);
    expect(await awsError('amp', 'describe-scraper', '--scraper-id', id)).toContain('ResourceNotFoundException');
  }, 180_000);
});
