import { AmpClient, CreateWorkspaceCommand, DeleteWorkspaceCommand, DescribeWorkspaceCommand, ListWorkspacesCommand, TagResourceCommand, UntagResourceCommand } from '@aws-sdk/client-amp';
import { AttachUserPolicyCommand, CreateAccessKeyCommand, CreatePolicyCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, startTestAmphora } from './helpers.js';

type Amphora = Awaited<ReturnType<typeof startTestAmphora>>;
type Creds = { accessKeyId: string; secretAccessKey: string };

describe('control plane through SigV4 and IAM policies (the real server)', () => {
  let amphora: Amphora;
  const amp = (credentials: Creds) => new AmpClient({ endpoint: amphora.address, region: 'us-east-1', credentials });
  const iam = () => new IAMClient({ endpoint: amphora.address, region: 'us-east-1', credentials: ROOT });

  async function userWithPolicy(name: string, policyArn: string): Promise<Creds> {
    await iam().send(new CreateUserCommand({ UserName: name }));
    await iam().send(new AttachUserPolicyCommand({ UserName: name, PolicyArn: policyArn }));
    const key = await iam().send(new CreateAccessKeyCommand({ UserName: name }));
    return { accessKeyId: key.AccessKey!.AccessKeyId!, secretAccessKey: key.AccessKey!.SecretAccessKey! };
  }

  beforeAll(async () => {
    amphora = await startTestAmphora();
  });
  afterAll(async () => amphora.stop());

  it('serves the AMP workspace API to root with the fields the articles show', async () => {
    const created = await amp(ROOT).send(new CreateWorkspaceCommand({ alias: 'test-managed-collector-workspace' }));
    expect(created.workspaceId).toMatch(/^ws-[0-9a-f-]{36}$/);
    expect(created.arn).toBe(`arn:aws:aps:us-east-1:000000000000:workspace/${created.workspaceId}`);
    const d = await amp(ROOT).send(new DescribeWorkspaceCommand({ workspaceId: created.workspaceId! }));
    expect(d.workspace).toMatchObject({ alias: 'test-managed-collector-workspace', workspaceId: created.workspaceId, arn: created.arn });
    expect(d.workspace!.prometheusEndpoint).toBe(`${amphora.address}/workspaces/${created.workspaceId}/`);
    expect(['CREATING', 'ACTIVE']).toContain(d.workspace!.status!.statusCode);
    expect(d.workspace!.createdAt).toBeInstanceOf(Date);
    const list = await amp(ROOT).send(new ListWorkspacesCommand({}));
    expect(list.workspaces!.map((w) => w.workspaceId)).toContain(created.workspaceId);
  });

  it('rejects bad signatures and unknown keys in the AMP error shape', async () => {
    const bad = amp({ accessKeyId: ROOT.accessKeyId, secretAccessKey: 'wrong-secret-wrong-secret-wrong-secret' });
    await expect(bad.send(new ListWorkspacesCommand({}))).rejects.toMatchObject({ name: 'InvalidSignatureException' });
    const unknown = amp({ accessKeyId: 'AKIAUNKNOWNUNKNOWN00', secretAccessKey: 'x'.repeat(40) });
    await expect(unknown.send(new ListWorkspacesCommand({}))).rejects.toMatchObject({ name: 'UnrecognizedClientException' });
  });

  it('lets a query-only key read but not create or delete workspaces', async () => {
    const reader = await userWithPolicy('reader', 'arn:aws:iam::aws:policy/AmazonPrometheusQueryAccess');
    const sts = new STSClient({ endpoint: amphora.address, region: 'us-east-1', credentials: reader });
    expect((await sts.send(new GetCallerIdentityCommand({}))).Arn).toBe('arn:aws:iam::000000000000:user/reader');
    await expect(amp(reader).send(new CreateWorkspaceCommand({ alias: 'nope' }))).rejects.toMatchObject({ name: 'AccessDeniedException' });
    const ws = await amp(ROOT).send(new CreateWorkspaceCommand({ alias: 'keep' }));
    await expect(amp(reader).send(new DeleteWorkspaceCommand({ workspaceId: ws.workspaceId! }))).rejects.toMatchObject({ name: 'AccessDeniedException' });
    const full = await userWithPolicy('admin', 'arn:aws:iam::aws:policy/AmazonPrometheusFullAccess');
    const mine = await amp(full).send(new CreateWorkspaceCommand({ alias: 'admin-made' }));
    expect(mine.workspaceId).toMatch(/^ws-/);
  });

  it('restricts a tag-conditioned policy to tagged workspaces', async () => {
    const policy = await iam().send(
      new CreatePolicyCommand({
        PolicyName: 'team-a-only',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'aps:DescribeWorkspace', Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/team': 'a' } } }],
        }),
      }),
    );
    const teamA = await userWithPolicy('team-a', policy.Policy!.Arn!);
    const tagged = await amp(ROOT).send(new CreateWorkspaceCommand({ alias: 'a', tags: { team: 'a' } }));
    const other = await amp(ROOT).send(new CreateWorkspaceCommand({ alias: 'b' }));
    await amp(ROOT).send(new TagResourceCommand({ resourceArn: other.arn!, tags: { team: 'b' } }));
    const got = await amp(teamA).send(new DescribeWorkspaceCommand({ workspaceId: tagged.workspaceId! }));
    expect(got.workspace!.alias).toBe('a');
    await expect(amp(teamA).send(new DescribeWorkspaceCommand({ workspaceId: other.workspaceId! }))).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });

  it('evaluates aws:RequestTag and aws:TagKeys on create, tag and untag', async () => {
    const policy = await iam().send(
      new CreatePolicyCommand({
        PolicyName: 'tagged-creates-only',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: 'aps:CreateWorkspace', Resource: '*', Condition: { StringEquals: { 'aws:RequestTag/team': 'a' } } },
            { Effect: 'Allow', Action: ['aps:TagResource', 'aps:UntagResource'], Resource: '*', Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team', 'env'] } } },
          ],
        }),
      }),
    );
    const creator = await userWithPolicy('tag-creator', policy.Policy!.Arn!);
    const ok = await amp(creator).send(new CreateWorkspaceCommand({ alias: 'tagged', tags: { team: 'a' } }));
    expect(ok.workspaceId).toMatch(/^ws-/);
    await expect(amp(creator).send(new CreateWorkspaceCommand({ alias: 'untagged' }))).rejects.toMatchObject({ name: 'AccessDeniedException' });
    await expect(amp(creator).send(new CreateWorkspaceCommand({ alias: 'other', tags: { team: 'b' } }))).rejects.toMatchObject({ name: 'AccessDeniedException' });
    await amp(creator).send(new TagResourceCommand({ resourceArn: ok.arn!, tags: { env: 'prod' } }));
    await expect(amp(creator).send(new TagResourceCommand({ resourceArn: ok.arn!, tags: { owner: 'x' } }))).rejects.toMatchObject({ name: 'AccessDeniedException' });
    await amp(creator).send(new UntagResourceCommand({ resourceArn: ok.arn!, tagKeys: ['env'] }));
    await expect(amp(creator).send(new UntagResourceCommand({ resourceArn: ok.arn!, tagKeys: ['cost-center'] }))).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });
});
