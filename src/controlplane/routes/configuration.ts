import type { FastifyInstance } from 'fastify';
import { outOfOrderWindowSeconds, updateWorkspaceConfigurationSchema } from '../config-schema.js';
import type { ControlPlane } from '../control-plane.js';
import { parseJsonBody } from '../input.js';
import { ampRoute, type RouteContext } from './http.js';
import { workspaceIdParam } from './params.js';

/** registerConfigurationRoutes adds DescribeWorkspaceConfiguration and UpdateWorkspaceConfiguration (with Amphora's `amphoraLimits` extension). */
export function registerConfigurationRoutes(app: FastifyInstance, ctx: RouteContext, cp: ControlPlane): void {

  ampRoute(app, ctx, {
    method: 'GET',
    url: '/workspaces/:workspaceId/configuration',
    handler: (req) => {
      const c = cp.workspaces.configuration(workspaceIdParam(req));
      const { retentionPeriodInDays: _r, limitsPerLabelSet: _l, ...amphoraLimits } = c.amphoraLimits;
      return {
        status: 200,
        body: {
          workspaceConfiguration: {
            status: { statusCode: c.status },
            limitsPerLabelSet: c.limitsPerLabelSet,
            retentionPeriodInDays: c.retentionPeriodInDays,
            outOfOrderTimeWindowInSeconds: outOfOrderWindowSeconds(c.amphoraLimits.outOfOrderWindowMs),
            amphoraLimits,
          },
        },
      };
    },
  });

  ampRoute(app, ctx, {
    method: 'PATCH',
    url: '/workspaces/:workspaceId/configuration',
    handler: (req) => {
      const id = workspaceIdParam(req);
      const input = parseJsonBody(req.body, updateWorkspaceConfigurationSchema);
      const status = cp.workspaces.updateConfiguration(id, input);
      return { status: 202, body: { status: { statusCode: status } } };
    },
  });
}
