import { describe, expect, it } from 'vitest';
import { accountRootArn, ARNS, assumedRoleArn, awsManagedPolicyArn, iamArn, oidcProviderArn, parseApsArn, parseRoleArn, roleArnOfAssumedRole, workspaceIdOfArn } from './arn.js';

const S = { region: 'eu-west-1', accountId: '123456789012' };

describe('ARN builder', () => {
  it('builds every ARN Amphora hands out (table)', () => {
    const table: [string, string][] = [
      [ARNS.workspace(S, 'ws-1'), 'arn:aws:aps:eu-west-1:123456789012:workspace/ws-1'],
      [ARNS.workspace(S, '*'), 'arn:aws:aps:eu-west-1:123456789012:workspace/*'],
      [ARNS.ruleGroupsNamespace(S, 'ws-1', 'rules'), 'arn:aws:aps:eu-west-1:123456789012:rulegroupsnamespace/ws-1/rules'],
      [ARNS.scraper(S, 's-1'), 'arn:aws:aps:eu-west-1:123456789012:scraper/s-1'],
      [ARNS.anomalyDetector(S, 'ws-1', 'ad-1'), 'arn:aws:aps:eu-west-1:123456789012:anomalydetector/ws-1/ad-1'],
      [iamArn('123456789012', 'user', '/team/', 'alice'), 'arn:aws:iam::123456789012:user/team/alice'],
      [iamArn('123456789012', 'policy', '/', 'p'), 'arn:aws:iam::123456789012:policy/p'],
      [accountRootArn('123456789012'), 'arn:aws:iam::123456789012:root'],
      [oidcProviderArn('123456789012', 'oidc.example.com/id/1'), 'arn:aws:iam::123456789012:oidc-provider/oidc.example.com/id/1'],
      [awsManagedPolicyArn('AmazonPrometheusFullAccess'), 'arn:aws:iam::aws:policy/AmazonPrometheusFullAccess'],
      [assumedRoleArn('123456789012', 'r', 's'), 'arn:aws:sts::123456789012:assumed-role/r/s'],
    ];
    for (const [got, want] of table) expect(got).toBe(want);
  });

  it('parses what it builds', () => {
    expect(parseApsArn(ARNS.ruleGroupsNamespace(S, 'ws-1', 'n'))).toEqual({ partition: 'aws', region: 'eu-west-1', accountId: '123456789012', resourceType: 'rulegroupsnamespace', resourcePath: 'ws-1/n' });
    expect(workspaceIdOfArn(ARNS.anomalyDetector(S, 'ws-2', 'a'))).toBe('ws-2');
    expect(workspaceIdOfArn(ARNS.scraper(S, 's'))).toBeNull();
    expect(parseRoleArn(iamArn('123456789012', 'role', '/a/b/', 'R'))).toEqual({ accountId: '123456789012', path: '/a/b/', roleName: 'R' });
    expect(parseRoleArn(iamArn('123456789012', 'user', '/', 'R'))).toBeNull();
    expect(roleArnOfAssumedRole(assumedRoleArn('123456789012', 'r', 's'))).toBe('arn:aws:iam::123456789012:role/r');
    expect(roleArnOfAssumedRole('arn:aws:iam::123456789012:user/u')).toBeUndefined();
  });
});
