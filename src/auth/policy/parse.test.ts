import { describe, expect, it } from 'vitest';
import { parsePolicy, POLICY_SIZE_LIMITS } from './parse.js';
import { MalformedPolicyError, type PolicyKind } from './types.js';

const S = (st: object): string => JSON.stringify({ Version: '2012-10-17', Statement: [st] });
const allow = { Effect: 'Allow', Action: 'aps:RemoteWrite', Resource: '*' };

function error(json: string, kind: PolicyKind, maxChars?: number): MalformedPolicyError {
  try {
    parsePolicy(json, kind, maxChars !== undefined ? { maxChars } : {});
  } catch (e) {
    if (e instanceof MalformedPolicyError) return e;
    throw e;
  }
  throw new Error('expected MalformedPolicyError');
}

describe('parsePolicy rejects', () => {
  const rows: [string, string, PolicyKind, RegExp][] = [
    ['bad JSON', '{"Statement": [', 'identity', /^Syntax errors in policy/],
    ['not an object', '[]', 'identity', /^Policy: must be a JSON object/],
    ['unknown top-level element', JSON.stringify({ Statement: [allow], Foo: 1 }), 'identity', /^Foo: unknown element/],
    ['bad version', JSON.stringify({ Version: '2012-10-18', Statement: [allow] }), 'identity', /^Version: .*valid version/],
    ['missing Statement', JSON.stringify({ Version: '2012-10-17' }), 'identity', /^Statement: Missing required field/],
    ['bad Effect', S({ ...allow, Effect: 'allow' }), 'identity', /^Statement\[0\]\.Effect: must be "Allow" or "Deny", got "allow"/],
    ['missing Effect', S({ Action: 'aps:*', Resource: '*' }), 'identity', /^Statement\[0\]\.Effect/],
    ['unknown statement element', S({ ...allow, Actions: 'x' }), 'identity', /^Statement\[0\]\.Actions: unknown element/],
    ['no Action', S({ Effect: 'Allow', Resource: '*' }), 'identity', /Policy statement must contain actions/],
    ['Action and NotAction', S({ ...allow, NotAction: 'aps:X' }), 'identity', /both Action and NotAction/],
    ['action without vendor', S({ ...allow, Action: 'RemoteWrite' }), 'identity', /^Statement\[0\]\.Action: Actions\/Conditions must be prefaced by a vendor/],
    ['action list entry', S({ ...allow, Action: ['aps:X', 'bad'] }), 'identity', /^Statement\[0\]\.Action\[1\]/],
    ['action not a string', S({ ...allow, Action: [1] }), 'identity', /^Statement\[0\]\.Action\[0\]: must be a string/],
    ['empty action list', S({ ...allow, Action: [] }), 'identity', /must not be empty/],
    ['no Resource (identity)', S({ Effect: 'Allow', Action: 'aps:*' }), 'identity', /Policy statement must contain resources/],
    ['bad resource', S({ ...allow, Resource: 'workspace/ws-1' }), 'identity', /Resource workspace\/ws-1 must be in ARN format or "\*"/],
    ['principal in identity policy', S({ ...allow, Principal: '*' }), 'identity', /^Statement\[0\]\.Principal: Policy document should not specify a principal/],
    ['no principal (resource)', S(allow), 'resource', /Missing required field Principal/],
    ['no principal (trust)', S({ Effect: 'Allow', Action: 'sts:AssumeRole' }), 'trust', /Missing required field Principal/],
    ['resource in trust policy', S({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: '*', Resource: '*' }), 'trust', /prohibited field Resource/],
    ['bad principal type', S({ ...allow, Principal: { User: 'x' } }), 'resource', /^Statement\[0\]\.Principal\.User: unknown principal type/],
    ['wildcard in principal ARN', S({ ...allow, Principal: { AWS: 'arn:aws:iam::123456789012:user/*' } }), 'resource', /Invalid principal in policy/],
    ['bad principal string', S({ ...allow, Principal: 'someone' }), 'resource', /must be "\*" or an object/],
    ['unknown condition operator', S({ ...allow, Condition: { StringMatches: { 'aws:username': 'x' } } }), 'identity', /^Statement\[0\]\.Condition\.StringMatches: Invalid Condition type : StringMatches/],
    ['condition key without vendor', S({ ...allow, Condition: { StringEquals: { username: 'x' } } }), 'identity', /prefaced by a vendor/],
    ['condition value object', S({ ...allow, Condition: { StringEquals: { 'aws:username': { a: 1 } } } }), 'identity', /condition values must be strings/],
    ['non-alphanumeric Sid (identity)', S({ ...allow, Sid: 'my sid' }), 'identity', /must be alpha-numeric/],
    ['duplicate Sid', JSON.stringify({ Statement: [{ ...allow, Sid: 'A' }, { ...allow, Sid: 'A' }] }), 'identity', /^Statement\[1\]\.Sid: .*unique/],
  ];
  for (const [name, json, kind, msg] of rows) {
    it(name, () => {
      const e = error(json, kind);
      expect(e.code).toBe('MalformedPolicyDocument');
      expect(e.message).toMatch(msg);
    });
  }

  it('enforces size quotas without counting white space', () => {
    const big = JSON.stringify({ Version: '2012-10-17', Statement: [{ ...allow, Action: Array.from({ length: 400 }, (_, i) => `aps:Action${i}`) }] });
    const e = error(big, 'identity');
    expect(e.code).toBe('LimitExceeded');
    expect(e.message).toMatch(/Cannot exceed quota for PolicySize: 6144/);
    expect(error(big, 'identity', POLICY_SIZE_LIMITS.userInline).message).toMatch(/PolicySize: 2048/);
    expect(() => parsePolicy(big, 'identity', { maxChars: POLICY_SIZE_LIMITS.roleInline })).not.toThrow();
    const padded = S(allow).replace(/,/g, ',\n' + ' '.repeat(2000) + '\t');
    expect(padded.length).toBeGreaterThan(2048);
    expect(() => parsePolicy(padded, 'identity', { maxChars: 2048 })).not.toThrow();
  });
});

describe('parsePolicy accepts and normalises', () => {
  it('single values to arrays, condition values to strings', () => {
    const doc = parsePolicy(
      JSON.stringify({
        Version: '2012-10-17',
        Id: 'p1',
        Statement: {
          Sid: 'S1',
          Effect: 'Deny',
          NotAction: 'iam:*',
          NotResource: 'arn:aws:aps:us-east-1:123456789012:workspace/ws-1',
          Condition: { Bool: { 'aws:SecureTransport': false }, NumericLessThan: { 's3:max-keys': [10, '20'] } },
        },
      }),
      'identity',
    );
    expect(doc).toEqual({
      Version: '2012-10-17',
      Id: 'p1',
      Statement: [
        {
          Sid: 'S1',
          Effect: 'Deny',
          NotAction: ['iam:*'],
          NotResource: ['arn:aws:aps:us-east-1:123456789012:workspace/ws-1'],
          Condition: { Bool: { 'aws:SecureTransport': ['false'] }, NumericLessThan: { 's3:max-keys': ['10', '20'] } },
        },
      ],
    });
  });

  it('principals in all their forms, and the IRSA trust policy of the AMP guide', () => {
    const trust = parsePolicy(
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Federated: 'arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC' },
            Action: 'sts:AssumeRoleWithWebIdentity',
            Condition: { StringEquals: { 'oidc.eks.us-east-1.amazonaws.com/id/ABC:sub': 'system:serviceaccount:prometheus:iamproxy-service-account' } },
          },
          { Effect: 'Allow', Principal: { AWS: ['123456789012', 'arn:aws:iam::123456789012:root', '*'], Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
          { Effect: 'Deny', NotPrincipal: { AWS: 'arn:aws:sts::123456789012:assumed-role/r/s' }, Action: 'sts:*' },
        ],
      }),
      'trust',
    );
    expect(trust.Statement[1]!.Principal).toEqual({ AWS: ['123456789012', 'arn:aws:iam::123456789012:root', '*'], Service: ['ec2.amazonaws.com'] });
    expect(parsePolicy(S({ ...allow, Principal: '*', Sid: 'Public access-1' }), 'resource').Statement[0]!.Principal).toBe('*');
  });
});
