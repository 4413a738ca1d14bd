import { describe, expect, it } from 'vitest';
import { evaluate, evaluateTrust } from './evaluate.js';
import { AmazonPrometheusConsoleFullAccess, AmazonPrometheusFullAccess, AmazonPrometheusQueryAccess, AmazonPrometheusRemoteWriteAccess, MANAGED_POLICIES } from './managed.js';
import { parsePolicy } from './parse.js';
import type { Decision, NamedPolicy, RequestContext, RequestPrincipal } from './types.js';

const ACCT = '123456789012';
const WS = `arn:aws:aps:us-east-1:${ACCT}:workspace/ws-1`;
const WS2 = `arn:aws:aps:us-east-1:${ACCT}:workspace/ws-2`;

const alice: RequestPrincipal = { arn: `arn:aws:iam::${ACCT}:user/team/alice`, accountId: ACCT, type: 'user', userId: 'AIDAALICE', username: 'alice', tags: { team: 'obs' } };
const bob: RequestPrincipal = { arn: `arn:aws:iam::${ACCT}:user/bob`, accountId: ACCT, type: 'user', userId: 'AIDABOB', username: 'bob' };
const root: RequestPrincipal = { arn: `arn:aws:iam::${ACCT}:root`, accountId: ACCT, type: 'root', userId: ACCT };
const session: RequestPrincipal = {
  arn: `arn:aws:sts::${ACCT}:assumed-role/Writer/sess-1`,
  accountId: ACCT,
  type: 'assumed-role',
  userId: 'AROAWRITER:sess-1',
  roleArn: `arn:aws:iam::${ACCT}:role/service/Writer`,
};
const stranger: RequestPrincipal = { arn: 'arn:aws:iam::999999999999:user/eve', accountId: '999999999999', type: 'user', userId: 'AIDAEVE', username: 'eve' };
const anonymous: RequestPrincipal = { arn: '*', accountId: '', type: 'anonymous', userId: '' };

const pol = (name: string, statements: object[], kind: 'identity' | 'resource' = 'identity', version = '2012-10-17'): NamedPolicy => ({
  name,
  doc: parsePolicy(JSON.stringify({ Version: version, Statement: statements }), kind),
});

const ctx = (principal: RequestPrincipal, action: string, resource = WS, conditionKeys: RequestContext['conditionKeys'] = {}): RequestContext => ({
  action,
  resource,
  principal,
  conditionKeys,
});

type Row = [name: string, c: RequestContext, identity: NamedPolicy[], resource: NamedPolicy | undefined, want: Decision['effect'], matched?: [string, number | string]];

const write = pol('write', [{ Effect: 'Allow', Action: 'aps:RemoteWrite', Resource: WS }]);
const wildcardActions = pol('wild', [{ Effect: 'Allow', Action: ['APS:get*', 'aps:Query?etrics'], Resource: 'arn:aws:aps:*:123456789012:workspace/*' }]);
const denyWs2 = pol('deny-ws2', [{ Sid: 'NoWs2', Effect: 'Deny', Action: 'aps:*', Resource: WS2 }]);
const notAction = pol('not-action', [{ Effect: 'Allow', NotAction: ['aps:Delete*', 'iam:*'], Resource: '*' }]);
const notResource = pol('not-resource', [{ Effect: 'Allow', Action: 'aps:*', NotResource: WS2 }]);
const denyNotResource = pol('deny-not-resource', [{ Effect: 'Deny', Action: 'aps:*', NotResource: [WS] }]);
const homeDir = pol('home', [{ Effect: 'Allow', Action: 'iam:*AccessKey*', Resource: 'arn:aws:iam::123456789012:user/*/${aws:username}' }]);
const homeDirOld = pol('home-2008', [{ Effect: 'Allow', Action: 'iam:*AccessKey*', Resource: 'arn:aws:iam::123456789012:user/*/${aws:username}' }], 'identity', '2008-10-17');
const tagged = pol('tags', [
  { Effect: 'Allow', Action: 'aps:*', Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/team': '${aws:PrincipalTag/team}' } } },
]);
const ipBound = pol('ip', [
  { Effect: 'Allow', Action: 'aps:*', Resource: '*' },
  { Sid: 'OnlyFromOffice', Effect: 'Deny', Action: 'aps:*', Resource: '*', Condition: { NotIpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '2001:db8::/32'] } } },
]);
const tls = pol('tls', [
  { Effect: 'Allow', Action: 'aps:*', Resource: '*' },
  { Sid: 'DenyInsecure', Effect: 'Deny', Action: '*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
]);
const timeBox = pol('time', [
  { Effect: 'Allow', Action: 'aps:*', Resource: '*', Condition: { DateGreaterThan: { 'aws:CurrentTime': '2026-01-01T00:00:00Z' }, DateLessThan: { 'aws:CurrentTime': '2026-02-01T00:00:00Z' } } },
]);
const tagKeys = pol('tag-keys', [
  { Effect: 'Allow', Action: 'aps:TagResource', Resource: '*', Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env', 'team'] }, 'ForAnyValue:StringEquals': { 'aws:TagKeys': 'team' } } },
]);

const resPolicyUser = pol('ws-policy', [{ Sid: 'LetBob', Effect: 'Allow', Principal: { AWS: bob.arn }, Action: 'aps:QueryMetrics', Resource: WS }], 'resource');
const resPolicyAccount = pol('ws-policy-acct', [{ Effect: 'Allow', Principal: { AWS: ACCT }, Action: 'aps:*', Resource: WS }], 'resource');
const resPolicyRole = pol('ws-policy-role', [{ Effect: 'Allow', Principal: { AWS: session.roleArn }, Action: 'aps:RemoteWrite', Resource: WS }], 'resource');
const resPolicyPublic = pol('ws-policy-public', [{ Effect: 'Allow', Principal: '*', Action: 'aps:QueryMetrics', Resource: WS }], 'resource');
const resDenyAccount = pol('ws-deny-acct', [{ Sid: 'LockDown', Effect: 'Deny', Principal: { AWS: `arn:aws:iam::${ACCT}:root` }, Action: 'aps:DeleteWorkspace', Resource: WS }], 'resource');
const resDenyAllButBob = pol('ws-deny-not-bob', [{ Effect: 'Deny', NotPrincipal: { AWS: [bob.arn, `arn:aws:iam::${ACCT}:root`] }, Action: 'aps:*', Resource: WS }], 'resource');
const resDenyNotBobOnly = pol('ws-deny-not-bob-only', [{ Effect: 'Deny', NotPrincipal: { AWS: bob.arn }, Action: 'aps:*', Resource: WS }], 'resource');
const resDenySession = pol('ws-deny-not-session', [
  { Effect: 'Deny', NotPrincipal: { AWS: [session.arn, session.roleArn!, ACCT] }, Action: 'aps:*', Resource: WS },
], 'resource');

const rows: Row[] = [
  ['identity allow', ctx(alice, 'aps:RemoteWrite'), [write], undefined, 'Allow', ['write', 0]],
  ['no policy: implicit deny', ctx(alice, 'aps:RemoteWrite'), [], undefined, 'ImplicitDeny'],
  ['other action: implicit deny', ctx(alice, 'aps:QueryMetrics'), [write], undefined, 'ImplicitDeny'],
  ['other resource: implicit deny', ctx(alice, 'aps:RemoteWrite', WS2), [write], undefined, 'ImplicitDeny'],
  ['action wildcard, case-insensitive', ctx(alice, 'aps:GetLabels'), [wildcardActions], undefined, 'Allow'],
  ['action ? wildcard', ctx(alice, 'aps:QueryMetrics'), [wildcardActions], undefined, 'Allow'],
  ['action case-insensitive request', ctx(alice, 'APS:getseries'), [wildcardActions], undefined, 'Allow'],
  ['resource account mismatch', ctx(alice, 'aps:GetLabels', 'arn:aws:aps:us-east-1:999999999999:workspace/ws-1'), [wildcardActions], undefined, 'ImplicitDeny'],
  ['resource case-sensitive', ctx(alice, 'aps:RemoteWrite', WS.replace('ws-1', 'WS-1')), [write], undefined, 'ImplicitDeny'],
  ['explicit deny beats allow', ctx(alice, 'aps:RemoteWrite', WS2), [AmazonPrometheusFullAccess, denyWs2], undefined, 'Deny', ['deny-ws2', 'NoWs2']],
  ['deny elsewhere does not apply', ctx(alice, 'aps:RemoteWrite', WS), [denyWs2, write], undefined, 'Allow'],
  ['NotAction allows others', ctx(alice, 'aps:QueryMetrics'), [notAction], undefined, 'Allow'],
  ['NotAction excludes', ctx(alice, 'aps:DeleteWorkspace'), [notAction], undefined, 'ImplicitDeny'],
  ['NotResource allows others', ctx(alice, 'aps:QueryMetrics', WS), [notResource], undefined, 'Allow'],
  ['NotResource excludes', ctx(alice, 'aps:QueryMetrics', WS2), [notResource], undefined, 'ImplicitDeny'],
  ['Deny with NotResource', ctx(alice, 'aps:QueryMetrics', WS2), [AmazonPrometheusFullAccess, denyNotResource], undefined, 'Deny'],
  ['Deny with NotResource (listed one allowed)', ctx(alice, 'aps:QueryMetrics', WS), [AmazonPrometheusFullAccess, denyNotResource], undefined, 'Allow'],
  ['${aws:username} in Resource', ctx(alice, 'iam:CreateAccessKey', alice.arn), [homeDir], undefined, 'Allow'],
  ['${aws:username} other user', ctx(alice, 'iam:CreateAccessKey', `arn:aws:iam::${ACCT}:user/team/bob`), [homeDir], undefined, 'ImplicitDeny'],
  ['${aws:username} unset for role sessions', ctx(session, 'iam:CreateAccessKey', alice.arn), [homeDir], undefined, 'ImplicitDeny'],
  ['2008-10-17: variables are literal', ctx(alice, 'iam:CreateAccessKey', alice.arn), [homeDirOld], undefined, 'ImplicitDeny'],
  ['PrincipalTag = ResourceTag', ctx(alice, 'aps:QueryMetrics', WS, { 'aws:ResourceTag/team': 'obs' }), [tagged], undefined, 'Allow'],
  ['PrincipalTag != ResourceTag', ctx(alice, 'aps:QueryMetrics', WS, { 'aws:ResourceTag/team': 'dev' }), [tagged], undefined, 'ImplicitDeny'],
  ['no PrincipalTag', ctx(bob, 'aps:QueryMetrics', WS, { 'aws:ResourceTag/team': 'obs' }), [tagged], undefined, 'ImplicitDeny'],
  ['condition keys case-insensitive', ctx(alice, 'aps:QueryMetrics', WS, { 'AWS:RESOURCETAG/TEAM': 'obs' }), [tagged], undefined, 'Allow'],
  ['SourceIp inside', ctx(alice, 'aps:QueryMetrics', WS, { 'aws:SourceIp': '10.1.2.3' }), [ipBound], undefined, 'Allow'],
  ['SourceIp v6 inside', ctx(alice, 'aps:QueryMetrics', WS, { 'aws:SourceIp': '2001:db8::7' }), [ipBound], undefined, 'Allow'],
  ['SourceIp outside', ctx(alice, 'aps:QueryMetrics', WS, { 'aws:SourceIp': '203.0.113.9' }), [ipBound], undefined, 'Deny', ['ip', 'OnlyFromOffice']],
  ['SourceIp missing: NotIpAddress holds, deny', ctx(alice, 'aps:QueryMetrics', WS), [ipBound], undefined, 'Deny'],
  ['SecureTransport true', ctx(alice, 'aps:QueryMetrics', WS, { 'aws:SecureTransport': true }), [tls], undefined, 'Allow'],
  ['SecureTransport false', ctx(alice, 'aps:QueryMetrics', WS, { 'aws:SecureTransport': false }), [tls], undefined, 'Deny', ['tls', 'DenyInsecure']],
  ['CurrentTime inside window', ctx(alice, 'aps:QueryMetrics', WS, { 'aws:CurrentTime': '2026-01-15T00:00:00Z' }), [timeBox], undefined, 'Allow'],
  ['CurrentTime after window', ctx(alice, 'aps:QueryMetrics', WS, { 'aws:CurrentTime': Date.parse('2026-03-01T00:00:00Z') }), [timeBox], undefined, 'ImplicitDeny'],
  ['TagKeys subset', ctx(alice, 'aps:TagResource', WS, { 'aws:TagKeys': ['team'] }), [tagKeys], undefined, 'Allow'],
  ['TagKeys extra key', ctx(alice, 'aps:TagResource', WS, { 'aws:TagKeys': ['team', 'cost'] }), [tagKeys], undefined, 'ImplicitDeny'],
  ['TagKeys missing team', ctx(alice, 'aps:TagResource', WS, { 'aws:TagKeys': ['env'] }), [tagKeys], undefined, 'ImplicitDeny'],
  // resource policies
  ['resource policy names the user', ctx(bob, 'aps:QueryMetrics'), [], resPolicyUser, 'Allow', ['ws-policy', 'LetBob']],
  ['resource policy names someone else', ctx(alice, 'aps:QueryMetrics'), [], resPolicyUser, 'ImplicitDeny'],
  ['resource policy naming the account delegates', ctx(alice, 'aps:QueryMetrics'), [], resPolicyAccount, 'ImplicitDeny'],
  ['... and identity policy then allows', ctx(alice, 'aps:QueryMetrics'), [AmazonPrometheusQueryAccess], resPolicyAccount, 'Allow'],
  ['resource policy names the role of a session', ctx(session, 'aps:RemoteWrite'), [], resPolicyRole, 'Allow'],
  ['public resource policy, anonymous', ctx(anonymous, 'aps:QueryMetrics'), [], resPolicyPublic, 'Allow'],
  ['public resource policy, other action', ctx(anonymous, 'aps:RemoteWrite'), [], resPolicyPublic, 'ImplicitDeny'],
  ['other account user, public policy', ctx(stranger, 'aps:QueryMetrics'), [], resPolicyPublic, 'Allow'],
  ['resource deny on account applies to users', ctx(alice, 'aps:DeleteWorkspace'), [AmazonPrometheusFullAccess], resDenyAccount, 'Deny', ['ws-deny-acct', 'LockDown']],
  ['NotPrincipal deny: bob (and his account) excluded', ctx(bob, 'aps:QueryMetrics'), [AmazonPrometheusQueryAccess], resDenyAllButBob, 'Allow'],
  ['NotPrincipal deny: alice denied', ctx(alice, 'aps:QueryMetrics'), [AmazonPrometheusQueryAccess], resDenyAllButBob, 'Deny'],
  ['NotPrincipal deny without the account: bob still denied', ctx(bob, 'aps:QueryMetrics'), [AmazonPrometheusQueryAccess], resDenyNotBobOnly, 'Deny'],
  ['NotPrincipal deny: session with role and account listed', ctx(session, 'aps:QueryMetrics'), [AmazonPrometheusQueryAccess], resDenySession, 'Allow'],
  // root
  ['root allowed without policies', ctx(root, 'aps:DeleteWorkspace'), [], undefined, 'Allow'],
  ['root denied by resource policy', ctx(root, 'aps:DeleteWorkspace'), [], resDenyAccount, 'Deny'],
  // managed policies
  ['RemoteWriteAccess: write', ctx(session, 'aps:RemoteWrite'), [AmazonPrometheusRemoteWriteAccess], undefined, 'Allow'],
  ['RemoteWriteAccess: no query', ctx(session, 'aps:QueryMetrics'), [AmazonPrometheusRemoteWriteAccess], undefined, 'ImplicitDeny'],
  ['QueryAccess: series', ctx(session, 'aps:GetSeries'), [AmazonPrometheusQueryAccess], undefined, 'Allow'],
  ['QueryAccess: no write', ctx(session, 'aps:RemoteWrite'), [AmazonPrometheusQueryAccess], undefined, 'ImplicitDeny'],
  ['FullAccess: anything aps', ctx(alice, 'aps:CreateWorkspace', '*'), [AmazonPrometheusFullAccess], undefined, 'Allow'],
  ['FullAccess: eks only via aps', ctx(alice, 'eks:DescribeCluster', '*'), [AmazonPrometheusFullAccess], undefined, 'ImplicitDeny'],
  ['FullAccess: eks via aps', ctx(alice, 'eks:DescribeCluster', '*', { 'aws:CalledVia': ['aps.amazonaws.com'] }), [AmazonPrometheusFullAccess], undefined, 'Allow'],
  ['ConsoleFullAccess: create workspace', ctx(alice, 'aps:CreateWorkspace', '*'), [AmazonPrometheusConsoleFullAccess], undefined, 'Allow'],
  ['ConsoleFullAccess: no remote write', ctx(alice, 'aps:RemoteWrite'), [AmazonPrometheusConsoleFullAccess], undefined, 'ImplicitDeny'],
];

describe('evaluate', () => {
  for (const [name, c, identity, resource, want, matched] of rows) {
    it(name, () => {
      const d = evaluate(c, identity, resource);
      expect(d.effect).toBe(want);
      if (matched) expect(d.matched).toEqual({ policy: matched[0], statement: matched[1] });
    });
  }

  it('knows the managed policies by ARN', () => {
    expect([...MANAGED_POLICIES.keys()]).toEqual([
      'arn:aws:iam::aws:policy/AmazonPrometheusRemoteWriteAccess',
      'arn:aws:iam::aws:policy/AmazonPrometheusQueryAccess',
      'arn:aws:iam::aws:policy/AmazonPrometheusFullAccess',
      'arn:aws:iam::aws:policy/AmazonPrometheusConsoleFullAccess',
    ]);
    expect(JSON.parse(AmazonPrometheusQueryAccess.json).Statement[0].Action).toEqual(['aps:GetLabels', 'aps:GetMetricMetadata', 'aps:GetSeries', 'aps:QueryMetrics']);
  });
});

describe('evaluateTrust', () => {
  const OIDC = 'oidc.eks.us-east-1.amazonaws.com/id/ABC';
  const provider = `arn:aws:iam::${ACCT}:oidc-provider/${OIDC}`;
  const ROLE = `arn:aws:iam::${ACCT}:role/EKS-AMP-ServiceAccount-Role`;
  const irsa: NamedPolicy = {
    name: 'trust',
    doc: parsePolicy(
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { Federated: provider }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringEquals: { [`${OIDC}:sub`]: 'system:serviceaccount:grafana:iamproxy-service-account' } } },
          { Effect: 'Allow', Principal: { Federated: provider }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringEquals: { [`${OIDC}:sub`]: 'system:serviceaccount:prometheus:iamproxy-service-account', [`${OIDC}:aud`]: 'sts.amazonaws.com' } } },
        ],
      }),
      'trust',
    ),
  };
  const web = (sub: string, aud = 'sts.amazonaws.com', p = provider): RequestContext => ({
    action: 'sts:AssumeRoleWithWebIdentity',
    resource: ROLE,
    principal: { arn: p, accountId: ACCT, type: 'federated', userId: sub },
    conditionKeys: { [`${OIDC}:sub`]: sub, [`${OIDC}:aud`]: aud },
  });
  const trustUsers: NamedPolicy = {
    name: 'trust-users',
    doc: parsePolicy(
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Sid: 'Bob', Effect: 'Allow', Principal: { AWS: bob.arn }, Action: 'sts:AssumeRole' },
          { Sid: 'Account', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCT}:root` }, Action: ['sts:AssumeRole', 'sts:TagSession'] },
          { Sid: 'Partner', Effect: 'Allow', Principal: { AWS: stranger.arn }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': 'xyz' } } },
          { Sid: 'NoAlice', Effect: 'Deny', Principal: { AWS: alice.arn }, Action: 'sts:AssumeRole', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } } },
        ],
      }),
      'trust',
    ),
  };
  const assume = (p: RequestPrincipal, keys: RequestContext['conditionKeys'] = {}): RequestContext => ({ action: 'sts:AssumeRole', resource: ROLE, principal: p, conditionKeys: keys });
  const canAssume = pol('can-assume', [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: ROLE }]);
  const cannotAssume = pol('cannot-assume', [{ Effect: 'Deny', Action: 'sts:AssumeRole', Resource: '*' }]);

  const table: [string, RequestContext, NamedPolicy, NamedPolicy[], Decision['effect']][] = [
    ['IRSA prometheus service account', web('system:serviceaccount:prometheus:iamproxy-service-account'), irsa, [], 'Allow'],
    ['IRSA grafana service account', web('system:serviceaccount:grafana:iamproxy-service-account'), irsa, [], 'Allow'],
    ['IRSA other service account', web('system:serviceaccount:default:x'), irsa, [], 'ImplicitDeny'],
    ['IRSA wrong audience', web('system:serviceaccount:prometheus:iamproxy-service-account', 'other'), irsa, [], 'ImplicitDeny'],
    ['IRSA other provider', web('system:serviceaccount:prometheus:iamproxy-service-account', 'sts.amazonaws.com', `arn:aws:iam::${ACCT}:oidc-provider/evil`), irsa, [], 'ImplicitDeny'],
    ['IRSA wrong action', { ...web('system:serviceaccount:grafana:iamproxy-service-account'), action: 'sts:AssumeRole' }, irsa, [], 'ImplicitDeny'],
    ['named user, same account, no identity policy needed', assume(bob), trustUsers, [], 'Allow'],
    ['account delegation needs identity allow', assume({ ...alice, arn: `arn:aws:iam::${ACCT}:user/carol`, username: 'carol' }), trustUsers, [], 'ImplicitDeny'],
    ['account delegation with identity allow', assume({ ...alice, arn: `arn:aws:iam::${ACCT}:user/carol`, username: 'carol' }), trustUsers, [canAssume], 'Allow'],
    ['identity deny wins', assume(bob), trustUsers, [cannotAssume], 'Deny'],
    ['trust deny wins', assume(alice, { 'aws:MultiFactorAuthPresent': false }), trustUsers, [canAssume], 'Deny'],
    ['trust deny condition unmet', assume(alice, { 'aws:MultiFactorAuthPresent': true }), trustUsers, [canAssume], 'Allow'],
    ['cross-account named, with external id and identity allow', assume(stranger, { 'sts:ExternalId': 'xyz' }), trustUsers, [canAssume], 'Allow'],
    ['cross-account named, without identity allow', assume(stranger, { 'sts:ExternalId': 'xyz' }), trustUsers, [], 'ImplicitDeny'],
    ['cross-account wrong external id', assume(stranger, { 'sts:ExternalId': 'nope' }), trustUsers, [canAssume], 'ImplicitDeny'],
    ['root cannot assume roles', assume(root), trustUsers, [], 'ImplicitDeny'],
    ['role session chaining via account', assume(session), trustUsers, [canAssume], 'Allow'],
  ];
  for (const [name, c, trust, identity, want] of table) {
    it(name, () => expect(evaluateTrust(c, trust, identity).effect).toBe(want));
  }
});
