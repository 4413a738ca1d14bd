import {
  AmpClient,
  CreateScraperCommand,
  CreateWorkspaceCommand,
  DeleteScraperCommand,
  DeleteScraperLoggingConfigurationCommand,
  DescribeScraperCommand,
  DescribeScraperLoggingConfigurationCommand,
  GetDefaultScraperConfigurationCommand,
  ListScrapersCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UpdateScraperCommand,
  UpdateScraperLoggingConfigurationCommand,
  paginateListScrapers,
  waitUntilScraperActive,
  waitUntilScraperDeleted,
} from '@aws-sdk/client-amp';
import { afterEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { errorOf, startTestControlPlane, type TestControlPlane } from './testing.js';

let t: TestControlPlane;
let amp: AmpClient;

async function boot(opts: Parameters<typeof startTestControlPlane>[0] = {}): Promise<void> {
  t = await startTestControlPlane({ transitionDelayMs: 0, ...opts });
  amp = new AmpClient({ endpoint: t.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' }, maxAttempts: 1 });
}
afterEach(async () => {
  amp.destroy();
  await t.close();
});

const CLUSTER = 'arn:aws:eks:us-east-1:123456789012:cluster/demo';
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const VALID = 'global:\n  scrape_interval: 30s\nscrape_configs:\n  - job_name: pods\n    kubernetes_sd_configs:\n      - role: pod\n';

async function workspaceArn(): Promise<string> {
  return (await amp.send(new CreateWorkspaceCommand({}))).arn;
}
function createInput(ws: string, extra: Record<string, unknown> = {}): ConstructorParameters<typeof CreateScraperCommand>[0] {
  return {
    source: { eksConfiguration: { clusterArn: CLUSTER, subnetIds: ['subnet-1'] } },
    destination: { ampConfiguration: { workspaceArn: ws } },
    scrapeConfiguration: { configurationBlob: enc(VALID) },
    ...extra,
  };
}

describe('scraper API through @aws-sdk/client-amp', () => {
  it('runs the article flow: default configuration, create, wait active, describe, list, delete, wait deleted', async () => {
    await boot();
    const def = await amp.send(new GetDefaultScraperConfigurationCommand({}));
    const yaml = new TextDecoder().decode(def.configuration);
    const parsed = parseYaml(yaml) as { scrape_configs: { job_name: string }[] };
    expect(parsed.scrape_configs.map((j) => j.job_name)).toEqual(['pod_exporter', 'cadvisor', 'kubernetes-apiservers', 'kube-proxy', 'ksh-metrics', 'kcm-metrics']);
    expect(yaml).toContain('# clusterArn: <REPLACE_ME>');

    const ws = await workspaceArn();
    const c = await amp.send(new CreateScraperCommand(createInput(ws, { alias: 'demo', tags: { team: 'obs' }, scrapeConfiguration: { configurationBlob: def.configuration } })));
    expect(c.scraperId).toMatch(/^s-[0-9a-f-]{36}$/);
    expect(c.arn).toBe(`arn:aws:aps:us-east-1:123456789012:scraper/${c.scraperId}`);
    expect(c.status).toEqual({ statusCode: 'CREATING' });
    expect(c.tags).toEqual({ team: 'obs' });

    const w = await waitUntilScraperActive({ client: amp, maxWaitTime: 10, minDelay: 1, maxDelay: 1 }, { scraperId: c.scraperId });
    expect(w.state).toBe('SUCCESS');
    const d = (await amp.send(new DescribeScraperCommand({ scraperId: c.scraperId }))).scraper!;
    expect(d).toMatchObject({ alias: 'demo', scraperId: c.scraperId, arn: c.arn, status: { statusCode: 'ACTIVE' }, source: { eksConfiguration: { clusterArn: CLUSTER, subnetIds: ['subnet-1'] } }, destination: { ampConfiguration: { workspaceArn: ws } } });
    expect(d.roleArn).toMatch(/^arn:aws:iam::123456789012:role\/aws-service-role\/scraper\.aps\.amazonaws\.com\/AWSServiceRoleForAmazonPrometheusScraper_/);
    expect(new TextDecoder().decode(d.scrapeConfiguration && 'configurationBlob' in d.scrapeConfiguration ? d.scrapeConfiguration.configurationBlob : undefined)).toBe(yaml);
    expect(d.createdAt).toBeInstanceOf(Date);
    expect(d.statusReason).toBeUndefined();

    const l = await amp.send(new ListScrapersCommand({}));
    expect(l.scrapers?.map((s) => s.scraperId)).toEqual([c.scraperId]);
    expect(l.scrapers?.[0]).not.toHaveProperty('scrapeConfiguration');

    await amp.send(new TagResourceCommand({ resourceArn: c.arn, tags: { env: 'prod' } }));
    expect((await amp.send(new ListTagsForResourceCommand({ resourceArn: c.arn }))).tags).toEqual({ team: 'obs', env: 'prod' });

    const del = await amp.send(new DeleteScraperCommand({ scraperId: c.scraperId }));
    expect(del.status).toEqual({ statusCode: 'DELETING' });
    const wd = await waitUntilScraperDeleted({ client: amp, maxWaitTime: 10, minDelay: 1, maxDelay: 1 }, { scraperId: c.scraperId });
    expect(wd.state).toBe('SUCCESS');
    const e = await errorOf(amp.send(new DescribeScraperCommand({ scraperId: c.scraperId })));
    expect(e.name).toBe('ResourceNotFoundException');
    expect((await amp.send(new ListScrapersCommand({}))).scrapers).toEqual([]);
  });

  it('stays CREATING until the transition delay and the source probe, then fails with statusReason', async () => {
    await boot({ transitionDelayMs: 1000, scraperProbe: async () => 'cluster demo is unreachable: connect ECONNREFUSED 127.0.0.1:1' });
    const c = await amp.send(new CreateScraperCommand(createInput(await workspaceArn())));
    await t.cp.whenIdle();
    expect((await amp.send(new DescribeScraperCommand({ scraperId: c.scraperId }))).scraper?.status?.statusCode).toBe('CREATING');
    t.clock += 1000;
    const d = (await amp.send(new DescribeScraperCommand({ scraperId: c.scraperId }))).scraper!;
    expect(d.status).toEqual({ statusCode: 'CREATION_FAILED' });
    expect(d.statusReason).toBe('cluster demo is unreachable: connect ECONNREFUSED 127.0.0.1:1');
    const w = await waitUntilScraperActive({ client: amp, maxWaitTime: 5, minDelay: 1, maxDelay: 1 }, { scraperId: c.scraperId }).catch((err: Error) => err);
    expect(String(w)).toMatch(/FAILURE/);
    const listed = await amp.send(new ListScrapersCommand({ filters: { status: ['CREATION_FAILED'] } }));
    expect(listed.scrapers?.[0]?.statusReason).toBe(d.statusReason);
  });

  it('filters as raw query parameters (values ORed, keys ANDed) and paginates', async () => {
    await boot();
    const ws = await workspaceArn();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push((await amp.send(new CreateScraperCommand(createInput(ws, { alias: `a${i}` })))).scraperId);
      t.clock += 1;
    }
    await t.cp.whenIdle();
    const raw = await fetch(`${t.endpoint}/scrapers?alias=a1&alias=a3&status=ACTIVE`);
    const body = (await raw.json()) as { scrapers: { scraperId: string }[] };
    expect(body.scrapers.map((s) => s.scraperId)).toEqual([ids[1], ids[3]]);
    const sdk = await amp.send(new ListScrapersCommand({ filters: { alias: ['a0', 'a4'], destinationArn: [ws] } }));
    expect(sdk.scrapers?.map((s) => s.scraperId)).toEqual([ids[0], ids[4]]);
    expect((await amp.send(new ListScrapersCommand({ filters: { sourceArn: ['arn:aws:eks:us-east-1:123456789012:cluster/other'] } }))).scrapers).toEqual([]);
    const pages: string[][] = [];
    for await (const p of paginateListScrapers({ client: amp, pageSize: 2 }, {})) pages.push((p.scrapers ?? []).map((s) => s.scraperId!));
    expect(pages).toEqual([ids.slice(0, 2), ids.slice(2, 4), ids.slice(4)]);
    const bad = await fetch(`${t.endpoint}/scrapers?colour=blue`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { fieldList: { name: string }[] }).fieldList[0]?.name).toBe('filters.colour');
  });

  it('refuses invalid configurations with ValidationException naming the field', async () => {
    await boot();
    const ws = await workspaceArn();
    const cases: [string, RegExp][] = [
      ['scrape_configs: [', /invalid YAML/],
      ['scrape_configs:\n  - job_name: a\n    colour: red\n', /scrape_configs\[0\]\.colour: field not found/],
      ['global:\n  scrape_interval: 10s\n', /global\.scrape_interval: must be at least 30s/],
      ['scrape_configs:\n  - job_name: a\n    static_configs:\n      - targets: [example.com:80]\n', /static_configs\[0\]\.targets\[0\]: must be an IP address/],
      ['scrape_configs:\n  - job_name: a\n    authorization:\n      credentials: s3cret\n', /authorization\.credentials: inline credentials/],
      ['scrape_configs:\n  - job_name: a\n    file_sd_configs:\n      - files: [x.json]\n', /file_sd_configs: not supported by the managed collector/],
      ['scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - action: explode\n', /relabel_configs\[0\]\.action/],
    ];
    for (const [yaml, want] of cases) {
      const e = await errorOf(amp.send(new CreateScraperCommand(createInput(ws, { scrapeConfiguration: { configurationBlob: enc(yaml) } }))));
      expect(e.name, yaml).toBe('ValidationException');
      expect(e.message, yaml).toMatch(want);
      expect((e['fieldList'] as { name: string }[])[0]?.name).toBe('scrapeConfiguration.configurationBlob');
    }
    const e = await errorOf(amp.send(new CreateScraperCommand(createInput('arn:aws:aps:us-east-1:123456789012:workspace/ws-missing'))));
    expect(e.name).toBe('ResourceNotFoundException');
    const e2 = await errorOf(amp.send(new CreateScraperCommand(createInput(ws, { source: { eksConfiguration: { clusterArn: 'arn:aws:eks:eu-west-1:123456789012:cluster/x', subnetIds: ['subnet-1'] } } }))));
    expect(e2.message).toMatch(/same|region/);
  });

  it('relaxed rules accept what the managed collector refuses', async () => {
    await boot({ scrapers: { rules: { minScrapeIntervalMs: 1000, relaxed: true } } });
    const ws = await workspaceArn();
    const c = await amp.send(new CreateScraperCommand(createInput(ws, { scrapeConfiguration: { configurationBlob: enc('global:\n  scrape_interval: 5s\nscrape_configs:\n  - job_name: a\n    static_configs:\n      - targets: [localhost:9100]\n') } })));
    expect(c.status?.statusCode).toBe('CREATING');
  });

  it('refuses clusters the registry does not know', async () => {
    await boot({ scrapers: { rules: { minScrapeIntervalMs: 30_000, relaxed: false }, clusterExists: (arn) => arn === CLUSTER } });
    const ws = await workspaceArn();
    await amp.send(new CreateScraperCommand(createInput(ws)));
    const e = await errorOf(amp.send(new CreateScraperCommand(createInput(ws, { source: { eksConfiguration: { clusterArn: 'arn:aws:eks:us-east-1:123456789012:cluster/nope', subnetIds: ['subnet-1'] } } }))));
    expect(e.name).toBe('ResourceNotFoundException');
    expect(e.message).toContain('nope is not registered');
  });

  it('enforces the quota of 10 scrapers with ServiceQuotaExceededException (402) and honours clientToken', async () => {
    await boot();
    const ws = await workspaceArn();
    const first = await amp.send(new CreateScraperCommand(createInput(ws, { clientToken: 'tok-1' })));
    const again = await amp.send(new CreateScraperCommand(createInput(ws, { clientToken: 'tok-1' })));
    expect(again.scraperId).toBe(first.scraperId);
    const clash = await errorOf(amp.send(new CreateScraperCommand(createInput(ws, { clientToken: 'tok-1', alias: 'other' }))));
    expect(clash.name).toBe('ConflictException');
    for (let i = 1; i < 10; i++) await amp.send(new CreateScraperCommand(createInput(ws)));
    const e = await errorOf(amp.send(new CreateScraperCommand(createInput(ws))));
    expect(e.name).toBe('ServiceQuotaExceededException');
    expect(e.$metadata?.httpStatusCode).toBe(402);
    expect(e.message).toContain('limit of 10');
  });

  it('updates a scraper (UPDATING then ACTIVE; source cannot change) and conflicts while it is not settled', async () => {
    await boot({ transitionDelayMs: 1000 });
    const c = await amp.send(new CreateScraperCommand(createInput(await workspaceArn())));
    const busy = await errorOf(amp.send(new UpdateScraperCommand({ scraperId: c.scraperId, alias: 'x' })));
    expect(busy.name).toBe('ConflictException');
    await t.cp.whenIdle();
    t.clock += 1000;
    const newYaml = VALID.replace('30s', '60s');
    const u = await amp.send(new UpdateScraperCommand({ scraperId: c.scraperId, alias: 'renamed', scrapeConfiguration: { configurationBlob: enc(newYaml) } }));
    expect(u.status).toEqual({ statusCode: 'UPDATING' });
    await t.cp.whenIdle();
    t.clock += 1000;
    const d = (await amp.send(new DescribeScraperCommand({ scraperId: c.scraperId }))).scraper!;
    expect(d.status?.statusCode).toBe('ACTIVE');
    expect(d.alias).toBe('renamed');
    expect(d.lastModifiedAt!.getTime()).toBeGreaterThan(d.createdAt!.getTime());
    const r = await fetch(`${t.endpoint}/scrapers/${c.scraperId}`, { method: 'PUT', body: JSON.stringify({ source: { eksConfiguration: { clusterArn: CLUSTER, subnetIds: ['subnet-1'] } } }) });
    expect(r.status).toBe(400);
  });

  it('scraper logging configuration: upsert, describe, delete', async () => {
    await boot();
    const c = await amp.send(new CreateScraperCommand(createInput(await workspaceArn())));
    const lg = 'arn:aws:logs:us-east-1:123456789012:log-group:/aws/prometheus/scraper:*';
    expect((await errorOf(amp.send(new DescribeScraperLoggingConfigurationCommand({ scraperId: c.scraperId })))).name).toBe('ResourceNotFoundException');
    const put = await amp.send(new UpdateScraperLoggingConfigurationCommand({ scraperId: c.scraperId, loggingDestination: { cloudWatchLogs: { logGroupArn: lg } }, scraperComponents: [{ type: 'SERVICE_DISCOVERY' }, { type: 'COLLECTOR', config: { options: { level: 'debug' } } }] }));
    expect(put.status?.statusCode).toBe('ACTIVE');
    const d = await amp.send(new DescribeScraperLoggingConfigurationCommand({ scraperId: c.scraperId }));
    expect(d.loggingDestination).toEqual({ cloudWatchLogs: { logGroupArn: lg } });
    expect(d.scraperComponents).toEqual([{ type: 'SERVICE_DISCOVERY' }, { type: 'COLLECTOR', config: { options: { level: 'debug' } } }]);
    expect(d.modifiedAt).toBeInstanceOf(Date);
    const bad = await errorOf(amp.send(new UpdateScraperLoggingConfigurationCommand({ scraperId: c.scraperId, loggingDestination: { cloudWatchLogs: { logGroupArn: 'arn:aws:logs:us-east-1:123456789012:log-group:x' } } })));
    expect(bad.name).toBe('ValidationException');
    await amp.send(new DeleteScraperLoggingConfigurationCommand({ scraperId: c.scraperId }));
    expect((await errorOf(amp.send(new DescribeScraperLoggingConfigurationCommand({ scraperId: c.scraperId })))).name).toBe('ResourceNotFoundException');
  });
});
