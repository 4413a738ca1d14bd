import { describe, expect, it } from 'vitest';
import { openMetaDB } from '../../metadb/metadb.js';
import { AmazonPrometheusRemoteWriteAccess } from '../policy/managed.js';
import { SqliteIdentityStore } from './identity-store.js';
import { SecretBox } from '../../metadb/secrets/secret-box.js';
import { iamErrorCode } from './test-support.js';

const ROOT = { accessKeyId: 'AKIAROOTROOTROOT0001', secretAccessKey: 'rootsecret' };
const DOC = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'aps:RemoteWrite', Resource: '*' }] });
const DOC2 = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'aps:QueryMetrics', Resource: '*' }] });
const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Federated: 'arn:aws:iam::000000000000:oidc-provider/oidc.example.com/id/ABC' }, Action: 'sts:AssumeRoleWithWebIdentity' }],
});

function newStore(now = () => 1_700_000_000_000): SqliteIdentityStore {
  let seed = 0;
  const random = (n: number): Buffer => Buffer.from(Array.from({ length: n }, () => (seed = (seed * 1103515245 + 12345) % 2147483648) & 0xff));
  return new SqliteIdentityStore({ db: openMetaDB(':memory:'), root: ROOT, now, random });
}

const code = iamErrorCode;

describe('SqliteIdentityStore', () => {
  it('resolves root, user and session keys', () => {
    const s = newStore();
    expect(s.findAccessKey(ROOT.accessKeyId)?.principal).toEqual({ type: 'root', arn: 'arn:aws:iam::000000000000:root', userId: '000000000000', accountId: '000000000000', accessKeyId: ROOT.accessKeyId });
    const u = s.users.create({ userName: 'alice', path: '/team/', tags: [{ Key: 'team', Value: 'obs' }] });
    expect(u.userId).toMatch(/^AIDA[A-Z2-7]{17}$/);
    expect(u.arn).toBe('arn:aws:iam::000000000000:user/team/alice');
    const k = s.accessKeys.create('alice');
    expect(k.accessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    expect(k.secretAccessKey).toHaveLength(40);
    const rec = s.findAccessKey(k.accessKeyId)!;
    expect(rec.principal).toEqual({ type: 'user', arn: u.arn, userId: u.userId, accountId: '000000000000', accessKeyId: k.accessKeyId, username: 'alice', tags: { team: 'obs' } });
    expect(rec.status).toBe('Active');
    s.accessKeys.setStatus('alice', k.accessKeyId, 'Inactive');
    expect(s.findAccessKey(k.accessKeyId)?.status).toBe('Inactive');
    const sess = s.createSessionCredentials({
      principal: { type: 'assumed-role', arn: 'arn:aws:sts::000000000000:assumed-role/r/s', userId: 'AROAX:s', accountId: '000000000000', accessKeyId: '' },
      expiresAt: 1_700_000_900_000,
    });
    expect(sess.accessKeyId).toMatch(/^ASIA/);
    const found = s.findAccessKey(sess.accessKeyId)!;
    expect(found.sessionToken).toBe(sess.sessionToken);
    expect(found.expiresAt).toBe(1_700_000_900_000);
    expect(found.principal.accessKeyId).toBe(sess.accessKeyId);
    expect(s.findAccessKey('AKIANOSUCHKEY0000000')).toBeNull();
  });

  it('enforces IAM errors and quotas (table)', () => {
    const s = newStore();
    s.users.create({ userName: 'bob' });
    s.accessKeys.create('bob');
    s.accessKeys.create('bob');
    const pol = s.policies.create({ policyName: 'p', policyDocument: DOC });
    const cases: [string, () => unknown, string][] = [
      ['duplicate user ignoring case', () => s.users.create({ userName: 'BOB' }), 'EntityAlreadyExists'],
      ['bad user name', () => s.users.create({ userName: 'a b' }), 'ValidationError'],
      ['bad path', () => s.users.create({ userName: 'x', path: 'nope' }), 'ValidationError'],
      ['third key', () => s.accessKeys.create('bob'), 'LimitExceeded'],
      ['unknown user', () => s.users.get('nobody'), 'NoSuchEntity'],
      ['delete user with keys', () => s.users.delete('bob'), 'DeleteConflict'],
      ['bad key status', () => s.accessKeys.setStatus('bob', 'x', 'On'), 'ValidationError'],
      ['unknown key', () => s.accessKeys.delete('bob', 'AKIAUNKNOWN'), 'NoSuchEntity'],
      ['malformed policy', () => s.policies.create({ policyName: 'q', policyDocument: '{"Statement":[]' }), 'MalformedPolicyDocument'],
      ['principal in identity policy', () => s.policies.create({ policyName: 'q', policyDocument: TRUST }), 'MalformedPolicyDocument'],
      ['duplicate policy', () => s.policies.create({ policyName: 'P', policyDocument: DOC }), 'EntityAlreadyExists'],
      ['unknown policy', () => s.policies.get('arn:aws:iam::000000000000:policy/nope'), 'NoSuchEntity'],
      ['attach unknown policy', () => s.entityPolicies.attach('user', 'bob', 'arn:aws:iam::aws:policy/Nope'), 'NoSuchEntity'],
      ['identity policy as trust', () => s.roles.create({ roleName: 'r', assumeRolePolicyDocument: DOC }), 'MalformedPolicyDocument'],
      ['session too long', () => s.roles.create({ roleName: 'r', assumeRolePolicyDocument: TRUST, maxSessionDuration: 50000 }), 'ValidationError'],
      ['aws: tag', () => s.users.tag('bob', [{ Key: 'aws:x', Value: 'y' }]), 'InvalidInput'],
      ['duplicate tag keys', () => s.users.tag('bob', [{ Key: 'a', Value: '1' }, { Key: 'A', Value: '2' }]), 'InvalidInput'],
      ['oidc http', () => s.oidcProviders.create({ url: 'http://x.example.com' }), 'InvalidInput'],
      ['oidc thumbprint', () => s.oidcProviders.create({ url: 'https://x.example.com', thumbprints: ['abc'] }), 'ValidationError'],
      ['change AWS managed', () => s.policies.createVersion(AmazonPrometheusRemoteWriteAccess.arn, DOC, true), 'InvalidInput'],
      ['delete default version', () => s.policies.deleteVersion(pol.arn, 'v1'), 'DeleteConflict'],
      ['missing version', () => s.policies.getVersion(pol.arn, 'v9'), 'NoSuchEntity'],
    ];
    for (const [name, fn, want] of cases) expect(code(fn), name).toBe(want);
    // inline quota is per identity, in aggregate: 2048 characters for a user
    const sized = (n: number): string => JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'x'.repeat(n), Effect: 'Allow', Action: 'aps:RemoteWrite', Resource: '*' }] });
    s.entityPolicies.putInline('user', 'bob', 'a', sized(900));
    s.entityPolicies.putInline('user', 'bob', 'a', sized(1000));
    expect(code(() => s.entityPolicies.putInline('user', 'bob', 'b', sized(1000)))).toBe('LimitExceeded');
    expect(s.entityPolicies.listInline('user', 'bob')).toEqual(['a']);
    expect(s.users.list().map((u) => u.userName)).toEqual(['bob']);
    expect(s.roles.list()).toEqual([]);
    expect(s.policies.list({ scope: 'Local' }).map((p) => p.policyName)).toEqual(['p']);
  });

  it('versions managed policies: five at most, default switches, delete needs versions gone', () => {
    const s = newStore();
    const p = s.policies.create({ policyName: 'p', policyDocument: DOC, description: 'd' });
    expect(p.arn).toBe('arn:aws:iam::000000000000:policy/p');
    for (let i = 2; i <= 5; i++) expect(s.policies.createVersion(p.arn, DOC2, i === 3).versionId).toBe(`v${i}`);
    expect(code(() => s.policies.createVersion(p.arn, DOC2, true))).toBe('LimitExceeded');
    expect(s.policies.get(p.arn).defaultVersionId).toBe('v3');
    expect(s.policies.defaultDocument(p.arn)?.document).toBe(DOC2);
    expect(s.policies.listVersions(p.arn).map((v) => `${v.versionId}${v.isDefault ? '*' : ''}`)).toEqual(['v5', 'v4', 'v3*', 'v2', 'v1']);
    expect(code(() => s.policies.delete(p.arn))).toBe('DeleteConflict');
    for (const v of ['v1', 'v2', 'v4', 'v5']) s.policies.deleteVersion(p.arn, v);
    expect(s.policies.createVersion(p.arn, DOC, false).versionId).toBe('v6');
    s.policies.deleteVersion(p.arn, 'v6');
    s.users.create({ userName: 'u' });
    s.entityPolicies.attach('user', 'u', p.arn);
    expect(s.policies.get(p.arn).attachmentCount).toBe(1);
    expect(code(() => s.policies.delete(p.arn))).toBe('DeleteConflict');
    s.entityPolicies.detach('user', 'u', p.arn);
    s.policies.delete(p.arn);
    expect(s.policies.find(p.arn)).toBeNull();
  });

  it('collects identity policies of users (with groups) and assumed roles', () => {
    const s = newStore();
    const custom = s.policies.create({ policyName: 'custom', policyDocument: DOC2 });
    const u = s.users.create({ userName: 'carol' });
    s.entityPolicies.putInline('user', 'carol', 'inline1', DOC);
    s.entityPolicies.attach('user', 'carol', AmazonPrometheusRemoteWriteAccess.arn);
    s.groups.create('readers');
    s.groups.addUser('readers', 'carol');
    s.entityPolicies.attach('group', 'readers', custom.arn);
    s.entityPolicies.attach('group', 'readers', AmazonPrometheusRemoteWriteAccess.arn);
    const key = s.accessKeys.create('carol');
    const names = s.identityPolicies(s.findAccessKey(key.accessKeyId)!.principal).map((p) => p.name);
    expect(names).toEqual(['inline1', 'AmazonPrometheusRemoteWriteAccess', 'custom']);
    expect(s.identityPolicies(s.rootPrincipal())).toEqual([]);
    expect(code(() => s.users.delete('carol'))).toBe('DeleteConflict');

    const role = s.roles.create({ roleName: 'writer', path: '/svc/', assumeRolePolicyDocument: TRUST, tags: [{ Key: 'k', Value: 'v' }] });
    expect(role.roleId).toMatch(/^AROA/);
    s.entityPolicies.putInline('role', 'writer', 'r1', DOC2);
    s.entityPolicies.attach('role', 'writer', custom.arn);
    const session = { type: 'assumed-role' as const, arn: 'arn:aws:sts::000000000000:assumed-role/writer/s1', userId: `${role.roleId}:s1`, accountId: '000000000000', accessKeyId: 'ASIAX' };
    expect(s.identityPolicies(session)).toEqual([{ name: 'r1', document: DOC2 }, { name: 'custom', document: DOC2 }]);
    expect(s.getRoleByArn('arn:aws:iam::000000000000:role/svc/writer')).toEqual({
      arn: 'arn:aws:iam::000000000000:role/svc/writer', roleName: 'writer', roleId: role.roleId, path: '/svc/', assumeRolePolicyDocument: TRUST, maxSessionDuration: 3600, tags: { k: 'v' },
    });
    expect(s.getRoleByArn('arn:aws:iam::000000000000:role/writer')).toBeNull();
    expect(code(() => s.roles.delete('writer'))).toBe('DeleteConflict');
    s.entityPolicies.deleteInline('role', 'writer', 'r1');
    s.entityPolicies.detach('role', 'writer', custom.arn);
    s.roles.delete('writer');
    // a role recreated under the same name is a different role: old sessions get nothing
    s.roles.create({ roleName: 'writer', assumeRolePolicyDocument: TRUST });
    expect(s.identityPolicies(session)).toEqual([]);
    expect(u.userName).toBe('carol');
  });

  it('stores OIDC providers as IAM does (issuer without https://)', () => {
    const s = newStore();
    const p = s.oidcProviders.create({ url: 'https://oidc.eks.us-east-1.amazonaws.com/id/ABC', clientIds: ['sts.amazonaws.com', 'sts.amazonaws.com'], thumbprints: ['9E99A48A9960B14926BB7F3B02E22DA2B0AB7280'], jwksFile: '/etc/jwks.json' });
    expect(p.arn).toBe('arn:aws:iam::000000000000:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC');
    expect(s.findOidcProviderByIssuer('https://oidc.eks.us-east-1.amazonaws.com/id/ABC')).toEqual({
      arn: p.arn, url: 'oidc.eks.us-east-1.amazonaws.com/id/ABC', clientIds: ['sts.amazonaws.com'], thumbprints: ['9e99a48a9960b14926bb7f3b02e22da2b0ab7280'], jwksFile: '/etc/jwks.json',
    });
    expect(s.getOidcProviderByArn(p.arn)?.url).toBe('oidc.eks.us-east-1.amazonaws.com/id/ABC');
    expect(code(() => s.oidcProviders.create({ url: 'https://oidc.eks.us-east-1.amazonaws.com/id/ABC/' }))).toBe('EntityAlreadyExists');
    s.oidcProviders.delete(p.arn);
    expect(s.getOidcProviderByArn(p.arn)).toBeNull();
    expect(code(() => s.oidcProviders.delete(p.arn))).toBe('NoSuchEntity');
  });

  it('keeps its data across reopen of the same database file', async () => {
    const { mkdtempSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const file = join(mkdtempSync(join(tmpdir(), 'amphora-auth-')), 'meta.db');
    const secrets = new SecretBox(Buffer.alloc(32, 7));
    const a = new SqliteIdentityStore({ db: openMetaDB(file), accountId: '123456789012', secrets });
    const key = (a.users.create({ userName: 'dave' }), a.accessKeys.create('dave'));
    const b = new SqliteIdentityStore({ db: openMetaDB(file), accountId: '123456789012', secrets });
    expect(b.findAccessKey(key.accessKeyId)?.principal.arn).toBe('arn:aws:iam::123456789012:user/dave');
    expect(b.findAccessKey(key.accessKeyId)?.secretAccessKey).toBe(key.secretAccessKey);
    expect(() => new SqliteIdentityStore({ db: openMetaDB(file), accountId: '123456789012' })).toThrow(/needs the key-encryption key/);
  });
});
