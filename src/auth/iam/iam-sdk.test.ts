import {
  AddUserToGroupCommand, AttachGroupPolicyCommand, AttachRolePolicyCommand, AttachUserPolicyCommand, CreateAccessKeyCommand, CreateGroupCommand,
  CreateOpenIDConnectProviderCommand, CreatePolicyCommand, CreatePolicyVersionCommand, CreateRoleCommand, CreateUserCommand, DeleteAccessKeyCommand,
  DeleteOpenIDConnectProviderCommand, DeletePolicyCommand, DeleteRoleCommand, DeleteUserCommand, DetachRolePolicyCommand, GetOpenIDConnectProviderCommand,
  GetPolicyCommand, GetPolicyVersionCommand, GetRoleCommand, GetUserCommand, IAMClient, ListAccessKeysCommand, ListAttachedRolePoliciesCommand,
  ListOpenIDConnectProvidersCommand, ListPoliciesCommand, ListRolesCommand, ListUsersCommand, PutRolePolicyCommand, PutUserPolicyCommand, TagRoleCommand,
  TagUserCommand, UpdateAccessKeyCommand, UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openMetaDB } from '../../metadb/metadb.js';
import { SqliteIdentityStore } from '../store/identity-store.js';
import { startIamTestServer, type IamTestServer } from './test-server.js';

const ACCT = '000000000000';
const DOC = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['aps:RemoteWrite'], Resource: '*' }] });
const DOC2 = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['aps:QueryMetrics'], Resource: '*' }] });
const ISSUER = 'oidc.eks.us-east-1.amazonaws.com/id/5C5D1B6E4D2F';
const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Federated: `arn:aws:iam::${ACCT}:oidc-provider/${ISSUER}` }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringEquals: { [`${ISSUER}:sub`]: 'system:serviceaccount:prometheus:amp' } } }],
});

let store: SqliteIdentityStore;
let server: IamTestServer;
let iam: IAMClient;
const calls: [string, string][] = [];
let deny: string | undefined;

beforeAll(async () => {
  store = new SqliteIdentityStore({ db: openMetaDB(':memory:'), root: { accessKeyId: 'AKIAROOT000000000001', secretAccessKey: 'x' } });
  server = await startIamTestServer(store, {
    authorize: (action, resource) => {
      calls.push([action, resource]);
      if (action === deny) throw new Error(`User: arn:aws:iam::${ACCT}:user/mallory is not authorized to perform: ${action} on resource: ${resource}`);
    },
  });
  iam = new IAMClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKIAROOT000000000001', secretAccessKey: 'x' }, maxAttempts: 1 });
});
afterAll(async () => {
  iam.destroy();
  await server.close();
});

async function failure(p: Promise<unknown>): Promise<{ name: string; status: number | undefined; message: string }> {
  try {
    await p;
  } catch (e) {
    const err = e as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: err.name, status: err.$metadata?.httpStatusCode, message: err.message };
  }
  throw new Error('expected the call to fail');
}

describe('IAM API through @aws-sdk/client-iam', () => {
  it('manages users and access keys', async () => {
    const created = await iam.send(new CreateUserCommand({ UserName: 'alice', Path: '/obs/', Tags: [{ Key: 'team', Value: 'o+b@x' }] }));
    expect(created.User).toMatchObject({ UserName: 'alice', Path: '/obs/', Arn: `arn:aws:iam::${ACCT}:user/obs/alice`, Tags: [{ Key: 'team', Value: 'o+b@x' }] });
    expect(created.User?.UserId).toMatch(/^AIDA/);
    expect(created.User?.CreateDate).toBeInstanceOf(Date);
    expect((await iam.send(new GetUserCommand({ UserName: 'ALICE' }))).User?.UserName).toBe('alice');
    const me = await iam.send(new GetUserCommand({}));
    expect(me.User).toMatchObject({ UserId: ACCT, Arn: `arn:aws:iam::${ACCT}:root` });
    expect(await failure(iam.send(new CreateUserCommand({ UserName: 'Alice' })))).toMatchObject({ name: 'EntityAlreadyExistsException', status: 409, message: 'User with name Alice already exists.' });
    expect(await failure(iam.send(new GetUserCommand({ UserName: 'nobody' })))).toMatchObject({ name: 'NoSuchEntityException', status: 404, message: 'The user with name nobody cannot be found.' });

    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }))).AccessKey!;
    expect(key).toMatchObject({ UserName: 'alice', Status: 'Active' });
    expect(key.SecretAccessKey).toHaveLength(40);
    expect(store.findAccessKey(key.AccessKeyId!)?.secretAccessKey).toBe(key.SecretAccessKey);
    await iam.send(new UpdateAccessKeyCommand({ UserName: 'alice', AccessKeyId: key.AccessKeyId, Status: 'Inactive' }));
    const listed = await iam.send(new ListAccessKeysCommand({ UserName: 'alice' }));
    expect(listed.AccessKeyMetadata?.map((k) => [k.AccessKeyId, k.Status])).toEqual([[key.AccessKeyId, 'Inactive']]);
    expect(listed.IsTruncated).toBe(false);
    await iam.send(new TagUserCommand({ UserName: 'alice', Tags: [{ Key: 'TEAM', Value: 'x' }, { Key: 'env', Value: 'prod' }] }));
    expect((await iam.send(new GetUserCommand({ UserName: 'alice' }))).User?.Tags).toEqual([{ Key: 'TEAM', Value: 'x' }, { Key: 'env', Value: 'prod' }]);
    expect(await failure(iam.send(new DeleteUserCommand({ UserName: 'alice' })))).toMatchObject({ name: 'DeleteConflictException', status: 409 });
    await iam.send(new DeleteAccessKeyCommand({ UserName: 'alice', AccessKeyId: key.AccessKeyId }));
    await iam.send(new DeleteUserCommand({ UserName: 'alice' }));
    expect(store.users.find('alice')).toBeNull();
  });

  it('paginates ListUsers with Marker/MaxItems/IsTruncated', async () => {
    for (const n of ['u3', 'u1', 'u5', 'u2', 'u4']) await iam.send(new CreateUserCommand({ UserName: n, Path: '/page/' }));
    const seen: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const r: { Users?: { UserName?: string }[]; Marker?: string; IsTruncated?: boolean } = await iam.send(new ListUsersCommand({ PathPrefix: '/page/', MaxItems: 2, ...(marker ? { Marker: marker } : {}) }));
      seen.push(...(r.Users ?? []).map((u) => u.UserName!));
      expect(r.IsTruncated).toBe(r.Marker !== undefined);
      marker = r.Marker;
      pages++;
    } while (marker);
    expect(seen).toEqual(['u1', 'u2', 'u3', 'u4', 'u5']);
    expect(pages).toBe(3);
    expect(await failure(iam.send(new ListUsersCommand({ MaxItems: 0 })))).toMatchObject({ status: 400 });
  });

  it('manages policies and versions; bad input changes nothing', async () => {
    const p = (await iam.send(new CreatePolicyCommand({ PolicyName: 'AMPWrite', PolicyDocument: DOC, Description: 'write' }))).Policy!;
    expect(p).toMatchObject({ PolicyName: 'AMPWrite', Arn: `arn:aws:iam::${ACCT}:policy/AMPWrite`, DefaultVersionId: 'v1', AttachmentCount: 0, IsAttachable: true });
    const got = (await iam.send(new GetPolicyCommand({ PolicyArn: p.Arn }))).Policy!;
    expect(got.Description).toBe('write');
    const v1 = (await iam.send(new GetPolicyVersionCommand({ PolicyArn: p.Arn, VersionId: 'v1' }))).PolicyVersion!;
    expect(decodeURIComponent(v1.Document!)).toBe(DOC);
    expect(v1.IsDefaultVersion).toBe(true);
    const v2 = (await iam.send(new CreatePolicyVersionCommand({ PolicyArn: p.Arn, PolicyDocument: DOC2, SetAsDefault: true }))).PolicyVersion!;
    expect(v2).toMatchObject({ VersionId: 'v2', IsDefaultVersion: true });
    expect((await iam.send(new GetPolicyCommand({ PolicyArn: p.Arn }))).Policy?.DefaultVersionId).toBe('v2');

    const bad = await failure(iam.send(new CreatePolicyCommand({ PolicyName: 'Bad', PolicyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"aps:*"}]}' })));
    expect(bad).toMatchObject({ name: 'MalformedPolicyDocumentException', status: 400 });
    expect(store.policies.list({ scope: 'Local' }).map((x) => x.policyName)).toEqual(['AMPWrite']);
    const big = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: Array.from({ length: 400 }, (_, i) => `aps:Action${i}`), Resource: '*' }] });
    expect(await failure(iam.send(new CreatePolicyCommand({ PolicyName: 'Big', PolicyDocument: big })))).toMatchObject({ name: 'LimitExceededException', status: 409 });

    const local = await iam.send(new ListPoliciesCommand({ Scope: 'Local' }));
    expect(local.Policies?.map((x) => x.PolicyName)).toEqual(['AMPWrite']);
    const aws = await iam.send(new ListPoliciesCommand({ Scope: 'AWS' }));
    expect(aws.Policies?.map((x) => x.Arn)).toContain('arn:aws:iam::aws:policy/AmazonPrometheusRemoteWriteAccess');

    await iam.send(new CreateUserCommand({ UserName: 'bob' }));
    await iam.send(new AttachUserPolicyCommand({ UserName: 'bob', PolicyArn: p.Arn }));
    await iam.send(new PutUserPolicyCommand({ UserName: 'bob', PolicyName: 'inline', PolicyDocument: DOC }));
    await iam.send(new CreateGroupCommand({ GroupName: 'writers' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'writers', UserName: 'bob' }));
    await iam.send(new AttachGroupPolicyCommand({ GroupName: 'writers', PolicyArn: 'arn:aws:iam::aws:policy/AmazonPrometheusQueryAccess' }));
    const bob = store.users.get('bob');
    const principal = { type: 'user' as const, arn: bob.arn, userId: bob.userId, accountId: ACCT, accessKeyId: 'AKIA' };
    expect(store.identityPolicies(principal).map((x) => x.name)).toEqual(['inline', 'AMPWrite', 'AmazonPrometheusQueryAccess']);
    expect((await iam.send(new ListPoliciesCommand({ OnlyAttached: true }))).Policies?.map((x) => x.PolicyName)).toEqual(['AmazonPrometheusQueryAccess', 'AMPWrite']);
    expect(await failure(iam.send(new DeletePolicyCommand({ PolicyArn: p.Arn })))).toMatchObject({ name: 'DeleteConflictException', status: 409 });
  });

  it('manages roles with trust policies and attached policies', async () => {
    const r = (await iam.send(new CreateRoleCommand({ RoleName: 'EKS-AMP-ServiceAccount-Role', AssumeRolePolicyDocument: TRUST, Description: 'IRSA <write> & "read"', Tags: [{ Key: 'k', Value: 'v' }] }))).Role!;
    expect(r).toMatchObject({ RoleName: 'EKS-AMP-ServiceAccount-Role', Arn: `arn:aws:iam::${ACCT}:role/EKS-AMP-ServiceAccount-Role`, Path: '/', MaxSessionDuration: 3600, Description: 'IRSA <write> & "read"' });
    expect(r.RoleId).toMatch(/^AROA/);
    expect(decodeURIComponent(r.AssumeRolePolicyDocument!)).toBe(TRUST);
    const badTrust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] });
    expect(await failure(iam.send(new CreateRoleCommand({ RoleName: 'x', AssumeRolePolicyDocument: badTrust })))).toMatchObject({ name: 'MalformedPolicyDocumentException' });
    expect(await failure(iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: r.RoleName, PolicyDocument: badTrust })))).toMatchObject({ status: 400 });
    expect(store.roles.get(r.RoleName!).trustPolicy).toBe(TRUST);
    const trust2 = TRUST.replace('prometheus:amp', 'grafana:amp');
    await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: r.RoleName, PolicyDocument: trust2 }));
    await iam.send(new TagRoleCommand({ RoleName: r.RoleName, Tags: [{ Key: 'env', Value: 'prod' }] }));
    const got = (await iam.send(new GetRoleCommand({ RoleName: r.RoleName }))).Role!;
    expect(decodeURIComponent(got.AssumeRolePolicyDocument!)).toBe(trust2);
    expect(got.Tags).toEqual([{ Key: 'k', Value: 'v' }, { Key: 'env', Value: 'prod' }]);
    await iam.send(new AttachRolePolicyCommand({ RoleName: r.RoleName, PolicyArn: 'arn:aws:iam::aws:policy/AmazonPrometheusRemoteWriteAccess' }));
    await iam.send(new PutRolePolicyCommand({ RoleName: r.RoleName, PolicyName: 'q', PolicyDocument: DOC2 }));
    const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: r.RoleName }));
    expect(attached.AttachedPolicies).toEqual([{ PolicyName: 'AmazonPrometheusRemoteWriteAccess', PolicyArn: 'arn:aws:iam::aws:policy/AmazonPrometheusRemoteWriteAccess' }]);
    expect((await iam.send(new ListRolesCommand({}))).Roles?.map((x) => x.RoleName)).toEqual(['EKS-AMP-ServiceAccount-Role']);
    expect(await failure(iam.send(new DeleteRoleCommand({ RoleName: r.RoleName })))).toMatchObject({ name: 'DeleteConflictException', status: 409 });
    await iam.send(new DetachRolePolicyCommand({ RoleName: r.RoleName, PolicyArn: 'arn:aws:iam::aws:policy/AmazonPrometheusRemoteWriteAccess' }));
    expect(await failure(iam.send(new DetachRolePolicyCommand({ RoleName: r.RoleName, PolicyArn: 'arn:aws:iam::aws:policy/AmazonPrometheusRemoteWriteAccess' })))).toMatchObject({ name: 'NoSuchEntityException' });
    expect((await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: r.RoleName }))).AttachedPolicies).toEqual([]);
  });

  it('manages OpenID Connect providers', async () => {
    const created = await iam.send(new CreateOpenIDConnectProviderCommand({ Url: `https://${ISSUER}`, ClientIDList: ['sts.amazonaws.com'], ThumbprintList: ['9e99a48a9960b14926bb7f3b02e22da2b0ab7280'] }));
    const arn = `arn:aws:iam::${ACCT}:oidc-provider/${ISSUER}`;
    expect(created.OpenIDConnectProviderArn).toBe(arn);
    const got = await iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }));
    expect(got).toMatchObject({ Url: ISSUER, ClientIDList: ['sts.amazonaws.com'], ThumbprintList: ['9e99a48a9960b14926bb7f3b02e22da2b0ab7280'] });
    expect((await iam.send(new ListOpenIDConnectProvidersCommand({}))).OpenIDConnectProviderList).toEqual([{ Arn: arn }]);
    expect(await failure(iam.send(new CreateOpenIDConnectProviderCommand({ Url: `https://${ISSUER}` })))).toMatchObject({ name: 'EntityAlreadyExistsException', status: 409 });
    await iam.send(new DeleteOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }));
    expect(await failure(iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn })))).toMatchObject({ name: 'NoSuchEntityException', status: 404 });
  });

  it('authorises every action on its resource ARN and answers AccessDenied', async () => {
    calls.length = 0;
    await iam.send(new CreateUserCommand({ UserName: 'carol', Path: '/x/' }));
    await iam.send(new GetRoleCommand({ RoleName: 'EKS-AMP-ServiceAccount-Role' }));
    await iam.send(new ListRolesCommand({}));
    expect(calls).toEqual([
      ['iam:CreateUser', `arn:aws:iam::${ACCT}:user/x/carol`],
      ['iam:GetRole', `arn:aws:iam::${ACCT}:role/EKS-AMP-ServiceAccount-Role`],
      ['iam:ListRoles', '*'],
    ]);
    deny = 'iam:DeleteUser';
    try {
      expect(await failure(iam.send(new DeleteUserCommand({ UserName: 'carol' })))).toEqual({
        name: 'AccessDenied', status: 403, message: `User: arn:aws:iam::${ACCT}:user/mallory is not authorized to perform: iam:DeleteUser on resource: arn:aws:iam::${ACCT}:user/x/carol`,
      });
    } finally {
      deny = undefined;
    }
    expect(store.users.find('carol')).not.toBeNull();
  });
});
