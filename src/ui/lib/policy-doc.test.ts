import { describe, expect, it } from 'vitest';
import { validatePolicyDocument } from './policy-doc';

const ok = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'aps:QueryMetrics', Resource: '*' }] };

describe('validatePolicyDocument', () => {
  it('accepts a valid identity policy and a valid trust policy', () => {
    expect(validatePolicyDocument(JSON.stringify(ok))).toEqual([]);
    expect(validatePolicyDocument(JSON.stringify({ Statement: { Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' } }), 'trust')).toEqual([]);
  });
  it.each([
    ['{', 'not JSON'],
    ['[]', 'a policy is a JSON object'],
    [JSON.stringify({ Version: '2020-01-01', Statement: ok.Statement }), 'Version must be'],
    [JSON.stringify({ Version: '2012-10-17' }), 'Statement is required'],
    [JSON.stringify({ Statement: [{ Effect: 'Permit', Action: 'a', Resource: '*' }] }), 'Effect must be'],
    [JSON.stringify({ Statement: [{ Effect: 'Allow', Resource: '*' }] }), 'exactly one of Action or NotAction'],
    [JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'a' }] }), 'exactly one of Resource or NotResource'],
    [JSON.stringify({ Statement: [{ Effect: 'Allow', Action: [1], Resource: '*' }] }), 'Action must be a string or a list of strings'],
    [JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'a', Resource: '*', Actions: 'b' }] }), 'unknown statement key Actions'],
  ])('reports %s', (doc, message) => {
    expect(validatePolicyDocument(doc).map((p) => p.message).join('; ')).toContain(message);
  });
  it('wants a Principal in a trust policy and none in an identity policy', () => {
    expect(validatePolicyDocument(JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole' }] }), 'trust')[0]!.message).toMatch(/needs a Principal/);
    expect(validatePolicyDocument(JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'a', Resource: '*', Principal: '*' }] }))[0]!.message).toMatch(/no Principal/);
  });
});
