import { execFile, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, startTestAmphora } from './helpers.js';

const HAVE_AWS = spawnSync('sh', ['-c', 'command -v aws']).status === 0;
if (!HAVE_AWS) console.warn('skipping AWS CLI control-plane test: aws is not on PATH (apt-get install -y awscli)');

/** The article commands (004, 002) through the AWS CLI against the real server, signed with the root key. */
describe.skipIf(!HAVE_AWS)('aws amp against amphora serve', () => {
  let amphora: Awaited<ReturnType<typeof startTestAmphora>>;
  beforeAll(async () => {
    amphora = await startTestAmphora();
  });
  afterAll(async () => amphora.stop());

  const aws = (...args: string[]) =>
    new Promise<unknown>((resolve, reject) =>
      execFile(
        'aws',
        [...args, '--endpoint-url', amphora.address, '--output', 'json'],
        {
          timeout: 60_000,
          env: { ...process.env, AWS_ACCESS_KEY_ID: ROOT.accessKeyId, AWS_SECRET_ACCESS_KEY: ROOT.secretAccessKey, AWS_DEFAULT_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true' },
        },
        (err, stdout, stderr) => (err ? reject(new Error(`aws ${args.join(' ')}: ${stderr}`)) : resolve(stdout.trim() ? JSON.parse(stdout) : null)),
      ),
    );

  it('creates, lists, describes and deletes a workspace', async () => {
    const created = (await aws('amp', 'create-workspace', '--alias', 'test-managed-collector-workspace')) as { workspaceId: string; arn: string; status: { statusCode: string } };
    expect(created.workspaceId).toMatch(/^ws-/);
    expect(['CREATING', 'ACTIVE']).toContain(created.status.statusCode);
    await aws('amp', 'wait', 'workspace-active', '--workspace-id', created.workspaceId);
    const list = (await aws('amp', 'list-workspaces')) as { workspaces: { workspaceId: string; alias: string }[] };
    expect(list.workspaces).toContainEqual(expect.objectContaining({ workspaceId: created.workspaceId, alias: 'test-managed-collector-workspace' }));
    const d = (await aws('amp', 'describe-workspace', '--workspace-id', created.workspaceId)) as { workspace: Record<string, unknown> };
    expect(d.workspace).toMatchObject({
      alias: 'test-managed-collector-workspace',
      workspaceId: created.workspaceId,
      arn: created.arn,
      prometheusEndpoint: `${amphora.address}/workspaces/${created.workspaceId}/`,
      status: { statusCode: 'ACTIVE' },
    });
    expect(d.workspace.createdAt).toBeDefined();
    await aws('amp', 'delete-workspace', '--workspace-id', created.workspaceId);
    await expect(aws('amp', 'describe-workspace', '--workspace-id', 'ws-00000000-0000-0000-0000-000000000000')).rejects.toThrow(/ResourceNotFoundException/);
  });
});
