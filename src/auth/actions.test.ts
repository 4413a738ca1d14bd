import { describe, expect, it } from 'vitest';
import type { FastifyRequest } from 'fastify';
import { checkRouteAuth, ENDPOINT_ACTIONS, endpointAuth, resourceArn, routeAuth, RouteTableError } from './actions.js';

const req = (params: Record<string, string>, body?: string): FastifyRequest =>
  ({ params, body: body === undefined ? undefined : Buffer.from(body), arnScope: { region: 'eu-west-1', accountId: '123456789012' }, method: 'GET', url: '/', routeOptions: {} }) as unknown as FastifyRequest;

describe('action table', () => {
  it('maps endpoints to actions and resources (table)', () => {
    const table: [string, string, Record<string, string>, string | undefined, string, string][] = [
      ['POST', '/workspaces/:workspaceId/api/v1/remote_write', { workspaceId: 'ws-1' }, undefined, 'aps:RemoteWrite', 'arn:aws:aps:eu-west-1:123456789012:workspace/ws-1'],
      ['GET', '/workspaces/:workspaceId/api/v1/label/:labelName/values', { workspaceId: 'w', labelName: 'job' }, undefined, 'aps:GetLabels', 'arn:aws:aps:eu-west-1:123456789012:workspace/w'],
      ['GET', '/workspaces', {}, undefined, 'aps:ListWorkspaces', '*'],
      ['POST', '/workspaces', {}, undefined, 'aps:CreateWorkspace', 'arn:aws:aps:eu-west-1:123456789012:workspace/*'],
      ['PUT', '/workspaces/:workspaceId/rulegroupsnamespaces/:name', { workspaceId: 'w', name: 'rules' }, undefined, 'aps:PutRuleGroupsNamespace', 'arn:aws:aps:eu-west-1:123456789012:rulegroupsnamespace/w/rules'],
      ['POST', '/workspaces/:workspaceId/rulegroupsnamespaces', { workspaceId: 'w' }, '{"name":"n1","data":"x"}', 'aps:CreateRuleGroupsNamespace', 'arn:aws:aps:eu-west-1:123456789012:rulegroupsnamespace/w/n1'],
      ['DELETE', '/scrapers/:scraperId', { scraperId: 's-1' }, undefined, 'aps:DeleteScraper', 'arn:aws:aps:eu-west-1:123456789012:scraper/s-1'],
      ['GET', '/tags/:resourceArn', { resourceArn: 'arn:aws:aps:eu-west-1:123456789012:workspace/w' }, undefined, 'aps:ListTagsForResource', 'arn:aws:aps:eu-west-1:123456789012:workspace/w'],
      ['POST', '/workspaces/:workspaceId/alertmanager/api/v2/silences', { workspaceId: 'w' }, undefined, 'aps:PutAlertManagerSilences', 'arn:aws:aps:eu-west-1:123456789012:workspace/w'],
      ['POST', '/workspaces/:workspaceId/api/v1/admin/tsdb/snapshot', { workspaceId: 'w' }, undefined, 'aps:AdminSnapshot', 'arn:aws:aps:eu-west-1:123456789012:workspace/w'],
      ['GET', '/clusters/:name', { name: 'demo' }, undefined, 'eks:DescribeCluster', 'arn:aws:eks:eu-west-1:123456789012:cluster/demo'],
      ['POST', '/cluster-registrations', {}, '{"name":"new-one"}', 'eks:RegisterCluster', 'arn:aws:eks:eu-west-1:123456789012:cluster/new-one'],
    ];
    for (const [method, path, params, body, action, arn] of table) {
      const e = endpointAuth(method, path);
      expect(e.action, path).toBe(action);
      const ra = routeAuth(method, path);
      expect(ra.action).toBe(action);
      expect(ra.resource(req(params, body)), path).toBe(arn);
      expect(resourceArn(req(params, body), e.resource)).toBe(arn);
    }
  });

  it('gives data-plane routes the Prometheus error shape, the control plane restJson1 and IAM/STS query XML', () => {
    const shape = (path: string): string => (path === '/' ? 'aws-xml' : path.includes('/api/v1/') || path.includes('/alertmanager/api/') ? 'prometheus' : 'aws-json');
    for (const e of ENDPOINT_ACTIONS) expect(e.errorShape, e.path).toBe(shape(e.path));
  });

  it('scopes the cluster registry to the SigV4 service eks and the rest of the control plane to aps', () => {
    expect(routeAuth('GET', '/clusters/:name')).toMatchObject({ service: 'eks', action: 'eks:DescribeCluster' });
    expect(routeAuth('GET', '/scrapers')).toMatchObject({ service: 'aps', action: 'aps:ListScrapers' });
  });

  it('gives the IAM/STS query API a route whose handler authorises each Action', () => {
    const a = routeAuth('POST', '/');
    expect([a.service, a.action, a.errorShape]).toEqual(['iam-sts', null, 'aws-xml']);
  });

  it('checks registered routes against the table at start-up', () => {
    const W = '/workspaces/:workspaceId';
    expect(() => checkRouteAuth('GET', `${W}/api/v1/query`, routeAuth('GET', `${W}/api/v1/query`))).not.toThrow();
    expect(() => checkRouteAuth('HEAD', `${W}/api/v1/query`, routeAuth('GET', `${W}/api/v1/query`))).not.toThrow();
    expect(() => checkRouteAuth('GET', '/-/healthy', 'public')).not.toThrow();
    expect(() => checkRouteAuth('GET', '/debug', 'public')).toThrow(/GET \/debug is declared public but only/);
    expect(() => checkRouteAuth('GET', '/debug', 'public', { anyPublic: true })).not.toThrow();
    expect(() => checkRouteAuth('GET', '/nope', undefined)).toThrow(/route GET \/nope declares no config.auth/);
    const own = { service: 'aps', action: 'aps:QueryMetrics', resource: () => '*', errorShape: 'prometheus' } as const;
    expect(() => checkRouteAuth('GET', `${W}/api/v1/nope`, own)).toThrow(RouteTableError);
    expect(() => checkRouteAuth('GET', `${W}/api/v1/nope`, own)).toThrow(/GET \/workspaces\/:workspaceId\/api\/v1\/nope has no entry in the route → IAM action table/);
    expect(() => checkRouteAuth('GET', `${W}/api/v1/query`, own)).toThrow(/builds its own auth; take it from the table/);
    expect(() => checkRouteAuth('POST', `${W}/api/v1/query`, routeAuth('GET', `${W}/api/v1/series`))).toThrow(/authorises aps:GetSeries but the table says aps:QueryMetrics/);
  });

  it('throws for endpoints missing from the table and for missing parameters', () => {
    expect(() => routeAuth('GET', '/nope')).toThrow(/add it to ENDPOINT_ACTIONS/);
    expect(() => routeAuth('GET', '/workspaces/:workspaceId').resource(req({}))).toThrow(/:workspaceId is missing/);
  });
});
