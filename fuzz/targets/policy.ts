import { evaluate, evaluateTrust } from '../../src/auth/policy/evaluate.js';
import { MANAGED_POLICIES } from '../../src/auth/policy/managed.js';
import { parsePolicy } from '../../src/auth/policy/parse.js';
import { MalformedPolicyError, type PolicyKind, type RequestContext } from '../../src/auth/policy/types.js';
import { bytes, typedError, utf8, type FuzzTarget } from '../target.js';

const ACCT = '123456789012';
const CTX: RequestContext = {
  action: 'aps:RemoteWrite',
  resource: `arn:aws:aps:us-east-1:${ACCT}:workspace/ws-1`,
  principal: { arn: `arn:aws:iam::${ACCT}:user/team/alice`, accountId: ACCT, type: 'user', userId: 'AIDAALICE', username: 'alice', tags: { team: 'obs' } },
  conditionKeys: { 'aws:SourceIp': '127.0.0.1', 'aws:CurrentTime': '2024-01-01T00:00:00Z', 'aws:SecureTransport': false, 'aws:RequestTag/team': 'obs', 'aws:TagKeys': ['team', 'env'], 'aws:MultiFactorAuthAge': 30 },
};

const SEEDS: { kind: PolicyKind; doc: object }[] = [
  {
    kind: 'identity',
    doc: {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'A', Effect: 'Allow', Action: ['aps:*', 'iam:Get*'], Resource: 'arn:aws:aps:*:123456789012:workspace/*' },
        { Effect: 'Deny', NotAction: 'aps:Query?etrics', NotResource: ['*'], Condition: { IpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '::1/128'] }, Bool: { 'aws:SecureTransport': 'false' } } },
        { Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringLike: { 'aws:RequestTag/${aws:username}': 'o*' }, 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['team'] }, DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' }, NumericLessThanEquals: { 'aws:MultiFactorAuthAge': '3600' }, 'Null': { 'aws:TokenIssueTime': 'true' }, ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:user/*' } } },
      ],
    },
  },
  { kind: 'trust', doc: { Version: '2012-10-17', Statement: { Effect: 'Allow', Principal: { AWS: [`arn:aws:iam::${ACCT}:root`], Federated: 'arn:aws:iam::123456789012:oidc-provider/idp.example' }, Action: ['sts:AssumeRole', 'sts:AssumeRoleWithWebIdentity'], Condition: { StringEquals: { 'idp.example:aud': 'amphora' } } } } },
  { kind: 'resource', doc: { Version: '2008-10-17', Id: 'x', Statement: [{ Effect: 'Deny', NotPrincipal: '*', Action: 'aps:RemoteWrite', Resource: '*' }] } },
];
const KINDS: PolicyKind[] = ['identity', 'trust', 'resource'];
const DICTIONARY = ['{', '}', '[', ']', '"', ':', ',', '*', '?', '${', '${aws:username}', '${*}', '"Effect"', '"Allow"', '"Deny"', '"Action"', '"Resource"', '"Condition"', '"Principal"', '"StringLike"', '"IpAddress"', '"ForAllValues:StringEquals"', '"DateLessThan"', '"NumericEquals"', '"BinaryEquals"', '"IfExists"', '1e999', 'null', 'true', '\\u0000', '"::ffff:0:0/96"', '"0.0.0.0/33"', '"arn:aws:*:*:*:*"'].map(bytes);

/** policyTarget fuzzes IAM policy documents (identity, trust, resource): parsing and validation, then evaluation of what parses. The first byte picks the kind. */
export const policyTarget: FuzzTarget = {
  name: 'policy',
  maxLen: 8192,
  dictionary: DICTIONARY,
  async setup() {
    const seeds = SEEDS.map((s) => bytes(String(KINDS.indexOf(s.kind)) + JSON.stringify(s.doc)));
    for (const m of MANAGED_POLICIES.values()) seeds.push(bytes('0' + m.json));
    return seeds;
  },
  run(input) {
    const s = utf8(input);
    const kind = KINDS[(s.charCodeAt(0) || 0) % 3]!;
    const doc = parsePolicy(s.slice(1), kind);
    if (kind === 'trust') evaluateTrust({ ...CTX, action: 'sts:AssumeRole', resource: `arn:aws:iam::${ACCT}:role/r` }, { name: 'p', doc });
    else if (kind === 'resource') evaluate(CTX, [], { name: 'p', doc });
    else evaluate(CTX, [{ name: 'p', doc }]);
  },
  expected: typedError(MalformedPolicyError),
};
