import type { FastifyInstance } from 'fastify';
import { formatDuration } from '../promql/parser/duration.js';
import type { RoutePlugin } from '../http/server.js';
import type { RouteAuthLookup } from '../http/route-auth.js';
import type { TargetView } from './scrape-job.js';

/** TARGETS_PATH is the targets API of a workspace (the targets of the scrapers writing into it). */
export const TARGETS_PATH = '/workspaces/:workspaceId/api/v1/targets';

/** renderTargets renders targets in Prometheus's /api/v1/targets format, filtered by state and scrapePool. */
export function renderTargets(targets: readonly TargetView[], state: string, scrapePool?: string): { activeTargets: unknown[]; droppedTargets: unknown[] } {
  const active = state === 'any' || state === 'active' || state === '';
  const dropped = state === 'any' || state === 'dropped' || state === '';
  const out = { activeTargets: [] as unknown[], droppedTargets: [] as unknown[] };
  for (const t of targets) {
    if (t.state === 'active') {
      if (!active || (scrapePool !== undefined && t.scrapePool !== scrapePool)) continue;
      out.activeTargets.push({
        discoveredLabels: t.discovered,
        labels: t.labels,
        scrapePool: t.scrapePool,
        scrapeUrl: t.scrapeUrl,
        globalUrl: t.scrapeUrl,
        lastError: t.health.lastError,
        lastScrape: t.health.lastScrape === 0 ? '0001-01-01T00:00:00Z' : new Date(t.health.lastScrape).toISOString(),
        lastScrapeDuration: t.health.lastScrapeDurationMs / 1000,
        health: t.health.health,
        scrapeInterval: formatDuration(t.intervalMs),
        scrapeTimeout: formatDuration(t.timeoutMs),
      });
    } else if (dropped) {
      out.droppedTargets.push({ discoveredLabels: t.discovered });
    }
  }
  return out;
}

/** targetsRoutes serves GET /workspaces/{id}/api/v1/targets from the scraper runtime. */
export function targetsRoutes(deps: { auth: RouteAuthLookup; targets: (workspaceId: string) => TargetView[] }): RoutePlugin {
  return (app: FastifyInstance) => {
    app.get(TARGETS_PATH, { config: { auth: deps.auth('GET', TARGETS_PATH) } }, async (req, reply) => {
      const q = req.query as Record<string, string | undefined>;
      const state = (q['state'] ?? '').toLowerCase();
      if (!['', 'any', 'active', 'dropped'].includes(state)) {
        return reply.code(400).send({ status: 'error', errorType: 'bad_data', error: `invalid state ${JSON.stringify(q['state'])}: want active, dropped or any` });
      }
      const id = (req.params as { workspaceId: string }).workspaceId;
      return reply.send({ status: 'success', data: renderTargets(deps.targets(id), state, q['scrapePool']) });
    });
  };
}
