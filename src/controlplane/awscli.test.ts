import { execFile } from 'node:child_process';
import { spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestControlPlane, type TestControlPlane } from './testing.js';

const run = promisify(execFile);
const hasAws = spawnSync('aws', ['--version'], { encoding: 'utf8' }).status === 0;
/** ampOps lists the amp operations this CLI knows (older Debian CLIs predate workspace configuration). */
const ampHelp = hasAws ? spawnSync('aws', ['amp', 'help'], { encoding: 'utf8', env: { ...process.env, PAGER: 'cat', AWS_PAGER: '' } }).stdout ?? '' : '';
const hasConfigOps = ampHelp.includes('update-workspace-configuration');

describe.skipIf(!hasAws)('AWS CLI against the control plane (skips when `aws` is not installed)', () => {
  let t: TestControlPlane;
  const aws = async (...args: string[]): Promise<Record<string, unknown>> => {
    const { stdout } = await run('aws', ['amp', ...args, '--endpoint-url', t.endpoint, '--output', 'json'], {
      env: {
        ...process.env,
        AWS_ACCESS_KEY_ID: 'AKIDTEST',
        AWS_SECRET_ACCESS_KEY: 'secret',
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_DEFAULT_REGION: 'us-east-1',
        AWS_PAGER: '',
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      },
    });
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
    t = await startTestControlPlane({ realClock: true, transitionDelayMs: 1500, deletionDelayMs: 5000 });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('runs the article commands: create-workspace, wait workspace-active, list-workspaces, describe-workspace', async () => {
    const created = await aws('create-workspace', '--alias', 'test-managed-collector-workspace', '--tags', 'team=obs');
    expect(created).toMatchObject({ status: { statusCode: 'CREATING' }, tags: { team: 'obs' } });
    const id = created['workspaceId'] as string;
    expect(created['arn']).toBe(`arn:aws:aps:us-east-1:123456789012:workspace/${id}`);
    await aws('wait', 'workspace-active', '--workspace-id', id);
    const list = (await aws('list-workspaces'))['workspaces'] as Record<string, unknown>[];
    expect(list.map((w) => w['workspaceId'])).toEqual([id]);
    expect(list[0]).toMatchObject({ alias: 'test-managed-collector-workspace', arn: created['arn'], status: { statusCode: 'ACTIVE' } });
    expect(list[0]!['createdAt']).toBeDefined();
    const d = (await aws('describe-workspace', '--workspace-id', id))['workspace'] as Record<string, unknown>;
    expect(d).toMatchObject({ alias: 'test-managed-collector-workspace', workspaceId: id, arn: created['arn'], prometheusEndpoint: `http://amphora.test:8080/workspaces/${id}/`, status: { statusCode: 'ACTIVE' } });
    expect(d['createdAt']).toBeDefined();

    await aws('update-workspace-alias', '--workspace-id', id, '--alias', 'renamed');
    await aws('tag-resource', '--resource-arn', created['arn'] as string, '--tags', 'env=prod');
    expect((await aws('list-tags-for-resource', '--resource-arn', created['arn'] as string))['tags']).toEqual({ team: 'obs', env: 'prod' });
    await aws('untag-resource', '--resource-arn', created['arn'] as string, '--tag-keys', 'team', 'env');
    expect((await aws('list-tags-for-resource', '--resource-arn', created['arn'] as string))['tags']).toEqual({});

    const lg = 'arn:aws:logs:us-east-1:123456789012:log-group:/aws/prometheus/x:*';
    await aws('create-logging-configuration', '--workspace-id', id, '--log-group-arn', lg);
    expect(((await aws('describe-logging-configuration', '--workspace-id', id))['loggingConfiguration'] as Record<string, unknown>)['logGroupArn']).toBe(lg);
    await aws('delete-logging-configuration', '--workspace-id', id);

    expect(await awsError('create-workspace', '--alias', 'a'.repeat(101))).toMatch(/ValidationException|alias/);
    expect(await awsError('describe-workspace', '--workspace-id', 'ws-00000000-0000-0000-0000-000000000000')).toContain('ResourceNotFoundException');

    await aws('delete-workspace', '--workspace-id', id);
    const deleting = (await aws('describe-workspace', '--workspace-id', id))['workspace'] as Record<string, unknown>;
    expect(deleting['status']).toEqual({ statusCode: 'DELETING' });
    await aws('wait', 'workspace-deleted', '--workspace-id', id);
    expect((await aws('list-workspaces'))['workspaces']).toEqual([]);
  }, 120_000);

  it.skipIf(!hasConfigOps)('workspace configuration and resource policy (CLIs that know them)', async () => {
    const id = (await aws('create-workspace'))['workspaceId'] as string;
    await aws('wait', 'workspace-active', '--workspace-id', id);
    await aws('update-workspace-configuration', '--workspace-id', id, '--retention-period-in-days', '90');
    expect(((await aws('describe-workspace-configuration', '--workspace-id', id))['workspaceConfiguration'] as Record<string, unknown>)['retentionPeriodInDays']).toBe(90);
    expect(await awsError('update-workspace-configuration', '--workspace-id', id, '--retention-period-in-days', '2000')).toContain('ValidationException');
    const doc = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '123456789012' }, Action: 'aps:QueryMetrics', Resource: '*' }] });
    const put = await aws('put-resource-policy', '--workspace-id', id, '--policy-document', doc);
    expect(typeof put['revisionId']).toBe('string');
    expect((await aws('describe-resource-policy', '--workspace-id', id))['policyDocument']).toBe(doc);
    await aws('delete-resource-policy', '--workspace-id', id);
  }, 120_000);
});
