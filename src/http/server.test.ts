import { describe, expect, it } from 'vitest';
import { routeAuth } from '../auth/actions.js';
import { nopLogger } from '../model/logger.js';
import { buildServer, type RoutePlugin } from './server.js';

const storage = { corruptBlocks: async () => ({}) };
const start = (plugin: RoutePlugin) => buildServer({ storage, logger: nopLogger, plugins: [plugin] });

describe('buildServer route table check', () => {
  it('starts when every route takes its auth from the table', async () => {
    const app = await start((a) => {
      a.get('/workspaces/:workspaceId/api/v1/query', { config: { auth: routeAuth('GET', '/workspaces/:workspaceId/api/v1/query') } }, async () => 'ok');
    });
    await app.close();
  });

  it('refuses to start when a route is not in the table, naming the route', async () => {
    await expect(
      start((a) => {
        a.post('/workspaces/:workspaceId/api/v1/secret', { config: { auth: { service: 'aps', action: 'aps:QueryMetrics', resource: () => '*', errorShape: 'prometheus' } } }, async () => 'ok');
      }),
    ).rejects.toThrow(/route POST \/workspaces\/:workspaceId\/api\/v1\/secret has no entry in the route → IAM action table/);
  });

  it('refuses to start when a route not listed as public is public', async () => {
    await expect(start((a) => a.get('/workspaces/:workspaceId/api/v1/query', { config: { auth: 'public' } }, async () => 'x'))).rejects.toThrow(
      /route GET \/workspaces\/:workspaceId\/api\/v1\/query is declared public but only GET \/-\/healthy, GET \/-\/ready, GET \/metrics, GET \/console, GET \/console\/\* may be/,
    );
  });

  it('refuses to start when a route declares no auth', async () => {
    await expect(start((a) => a.get('/undeclared', async () => 'x'))).rejects.toThrow(/route GET \/undeclared declares no config.auth/);
  });
});
