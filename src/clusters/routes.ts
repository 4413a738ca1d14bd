import type { FastifyInstance, FastifyRequest, HTTPMethods } from 'fastify';
import { z } from 'zod';
import type { RoutePlugin } from '../http/server.js';
import type { RouteAuthLookup } from '../http/route-auth.js';
import type { Logger } from '../model/logger.js';
import { queryInt, queryString } from '../controlplane/input.js';
import { epochSeconds } from '../controlplane/routes/http.js';
import type { ClusterRecord, ClusterStore } from './cluster-store.js';
import { ClusterNameSchema } from './config.js';
import { EksError } from './errors.js';

/** tagsSchema is EKS's TagMap: keys 1-128 characters without the aws: prefix, values up to 256, at most 50. */
const tagsSchema = z
  .record(z.string().min(1).max(128).refine((k) => !k.toLowerCase().startsWith('aws:'), 'must not begin with aws:'), z.string().max(256))
  .refine((m) => Object.keys(m).length <= 50, 'must have at most 50 tags');

const PROVIDERS = ['EKS_ANYWHERE', 'ANTHOS', 'GKE', 'AKS', 'OPENSHIFT', 'TANZU', 'RANCHER', 'EC2', 'OTHER'] as const;

const registerSchema = z
  .object({
    name: ClusterNameSchema,
    connectorConfig: z.object({ roleArn: z.string().regex(/^arn:aws[-a-z]*:iam::[0-9]{12}:role\/.+$/, 'must be an IAM role ARN'), provider: z.enum(PROVIDERS) }).strict(),
    clientRequestToken: z.string().min(1).max(64).optional(),
    tags: tagsSchema.optional(),
  })
  .strict();

/** clusterBody renders a cluster as EKS's Cluster structure. */
export function clusterBody(c: ClusterRecord): Record<string, unknown> {
  return {
    name: c.name,
    arn: c.arn,
    createdAt: epochSeconds(c.createdAt),
    status: c.status,
    ...(c.endpoint !== undefined ? { endpoint: c.endpoint } : {}),
    ...(c.connection?.caData !== undefined ? { certificateAuthority: { data: c.connection.caData } } : {}),
    ...(c.oidcIssuer !== undefined ? { identity: { oidc: { issuer: c.oidcIssuer } } } : {}),
    ...(c.connectorConfig !== undefined ? { connectorConfig: { provider: c.connectorConfig.provider, roleArn: c.connectorConfig.roleArn } } : {}),
    platformVersion: 'amphora',
    tags: c.tags,
  };
}

function parseBody<T>(req: FastifyRequest, schema: z.ZodType<T, z.ZodTypeDef, unknown>): T {
  let raw: unknown = {};
  if (Buffer.isBuffer(req.body) && req.body.length > 0) {
    try {
      raw = JSON.parse(req.body.toString('utf8'));
    } catch (e) {
      throw new EksError('InvalidParameterException', `Could not parse request body: ${(e as Error).message}`);
    }
  }
  const r = schema.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0]!;
    const field = i.code === 'unrecognized_keys' ? [...i.path, i.keys[0]].join('.') : i.path.join('.');
    throw new EksError('InvalidParameterException', `${field || 'body'}: ${i.code === 'unrecognized_keys' ? 'unknown field' : i.message}`);
  }
  return r.data;
}

function nameParam(req: FastifyRequest): string {
  const name = (req.params as { name?: string }).name ?? '';
  if (!ClusterNameSchema.safeParse(name).success) throw new EksError('InvalidParameterException', `Invalid cluster name: ${name}`);
  return name;
}

/** ClusterRoutesDeps are what the cluster registry routes need. */
export interface ClusterRoutesDeps {
  readonly store: ClusterStore;
  readonly auth: RouteAuthLookup;
  readonly logger: Logger;
}

/** clusterRoutes is the RoutePlugin of the EKS-compatible cluster registry: RegisterCluster, DescribeCluster, ListClusters, DeregisterCluster. */
export function clusterRoutes(deps: ClusterRoutesDeps): RoutePlugin {
  const { store } = deps;
  return (app: FastifyInstance) => {
    const route = (method: HTTPMethods, url: string, handler: (req: FastifyRequest) => Record<string, unknown>): void => {
      app.route({
        method,
        url,
        config: { auth: deps.auth(String(method), url) },
        handler: async (req, reply) => {
          try {
            return reply.code(200).header('content-type', 'application/json').send(JSON.stringify(handler(req)));
          } catch (err) {
            const e = err instanceof EksError ? err : new EksError('ServerException', 'An internal error occurred');
            if (!(err instanceof EksError)) deps.logger.error({ err, route: `${String(method)} ${url}` }, 'cluster registry operation failed');
            return reply.code(e.status).header('x-amzn-errortype', e.kind).header('content-type', 'application/json').send(JSON.stringify(e.body()));
          }
        },
      });
    };
    route('POST', '/cluster-registrations', (req) => {
      const input = parseBody(req, registerSchema);
      return { cluster: clusterBody(store.register({ name: input.name, connectorConfig: input.connectorConfig, ...(input.tags ? { tags: input.tags } : {}), ...(input.clientRequestToken ? { clientRequestToken: input.clientRequestToken } : {}) })) };
    });
    route('GET', '/clusters/:name', (req) => ({ cluster: clusterBody(store.describe(nameParam(req))) }));
    route('GET', '/clusters', (req) => {
      const q = req.query as Record<string, unknown>;
      let maxResults: number | undefined;
      try {
        maxResults = queryInt(q['maxResults'], 'maxResults', 1, 100);
      } catch {
        throw new EksError('InvalidParameterException', 'maxResults must be an integer between 1 and 100');
      }
      const include = queryString(q['include']);
      if (include !== undefined && include !== 'all') throw new EksError('InvalidParameterException', "include must be 'all' (lowercase) or absent");
      const nextToken = queryString(q['nextToken']);
      const page = store.list({ includeRegistered: include === 'all', maxResults: maxResults ?? 100, ...(nextToken !== undefined ? { nextToken } : {}) });
      return { clusters: page.names, ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
    });
    route('DELETE', '/cluster-registrations/:name', (req) => ({ cluster: { ...clusterBody(store.deregister(nameParam(req))), status: 'DELETING' } }));
  };
}
