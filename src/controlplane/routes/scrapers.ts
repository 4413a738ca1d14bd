import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { parseEksClusterArn, parseApsArn } from '../../auth/arn.js';
import { parsePrometheusConfig, ScrapeConfigError } from '../../scrape/config.js';
import { DEFAULT_SCRAPER_CONFIGURATION } from '../../scrape/default-config.js';
import { validateManagedScrapeConfig, type ManagedRuleOptions } from '../../scrape/managed-rules.js';
import type { ControlPlane } from '../control-plane.js';
import { notFound, validationError } from '../errors.js';
import { clientTokenSchema, logGroupArnSchema, parseJsonBody, queryInt, queryList, queryString, tagMapSchema } from '../input.js';
import { WORKSPACE_TYPE } from '../workspace-store.js';
import type { ScraperFilters, ScraperRecord, ScraperSource } from '../scraper-store.js';
import { ampRoute, epochSeconds, requestTagKeys, type RouteContext } from './http.js';
import { rawParam } from './params.js';

/** ScraperRouteOptions configure how scraper requests are validated. */
export interface ScraperRouteOptions {
  /** rules are the managed collector's configuration rules (relaxable in Amphora's config). */
  readonly rules: ManagedRuleOptions;
  /** clusterExists tells whether an EKS cluster ARN is in the cluster registry (absent: any cluster ARN is accepted). */
  readonly clusterExists?: (clusterArn: string) => boolean;
}

const idPattern = /^[0-9A-Za-z][-.0-9A-Z_a-z]*$/;
const aliasSchema = z.string().min(1).max(100).regex(idPattern, 'must match [0-9A-Za-z][-.0-9A-Z_a-z]*');
const roleArn = z.string().regex(/^arn:aws[-a-z]*:iam::[0-9]{12}:role\/.+$/, 'must be an IAM role ARN');
const subnets = z.array(z.string().max(255).regex(/^subnet-[0-9a-z]+$/, 'must be a subnet id')).min(1).max(5);
const securityGroups = z.array(z.string().max(255).regex(/^sg-[0-9a-z]+$/, 'must be a security group id')).min(1).max(5);

const sourceSchema = z.union([
  z.object({ eksConfiguration: z.object({ clusterArn: z.string().regex(/^arn:aws[-a-z]*:eks:[-a-z0-9]+:[0-9]{12}:cluster\/.+$/, 'must be an EKS cluster ARN'), subnetIds: subnets, securityGroupIds: securityGroups.optional() }).strict() }).strict(),
  z.object({ vpcConfiguration: z.object({ subnetIds: subnets, securityGroupIds: securityGroups }).strict() }).strict(),
]);
const destinationSchema = z.union([
  z.object({ ampConfiguration: z.object({ workspaceArn: z.string().regex(/^arn:aws[-a-z]*:aps:[-a-z0-9]+:[0-9]{12}:workspace\/.+$/, 'must be a workspace ARN') }).strict() }).strict(),
  z.object({ cloudWatchConfiguration: z.object({ datasetArn: z.string().regex(/^arn:aws[-a-z]*:cloudwatch:[-a-z0-9]+:[0-9]{12}:dataset\/.+$/, 'must be a CloudWatch dataset ARN') }).strict() }).strict(),
]);
const scrapeConfigurationSchema = z.object({ configurationBlob: z.string().min(1) }).strict();
const roleConfigurationSchema = z.object({ sourceRoleArn: roleArn.optional(), targetRoleArn: roleArn.optional() }).strict();
const exportersSchema = z.array(z.object({ openSearchConfiguration: z.object({ domainArn: z.string().regex(/^arn:aws[-a-z]*:es:[-a-z0-9]+:[0-9]{12}:domain\/.+$/) }).strict() }).strict()).max(1);

const createSchema = z
  .object({
    alias: aliasSchema.optional(),
    scrapeConfiguration: scrapeConfigurationSchema,
    source: sourceSchema,
    destination: destinationSchema,
    roleConfiguration: roleConfigurationSchema.optional(),
    clientToken: clientTokenSchema.optional(),
    tags: tagMapSchema.optional(),
    exporters: exportersSchema.optional(),
  })
  .strict();
const updateSchema = z
  .object({
    alias: aliasSchema.optional(),
    scrapeConfiguration: scrapeConfigurationSchema.optional(),
    destination: destinationSchema.optional(),
    roleConfiguration: roleConfigurationSchema.optional(),
    clientToken: clientTokenSchema.optional(),
    exporters: exportersSchema.optional(),
  })
  .strict();
const componentSchema = z.object({ type: z.enum(['SERVICE_DISCOVERY', 'COLLECTOR', 'EXPORTER']), config: z.object({ options: z.record(z.string()).optional() }).strict().optional() }).strict();
const loggingSchema = z
  .object({
    loggingDestination: z.object({ cloudWatchLogs: z.object({ logGroupArn: logGroupArnSchema }).strict() }).strict(),
    scraperComponents: z.array(componentSchema).min(1).optional(),
    clientToken: clientTokenSchema.optional(),
  })
  .strict();

/** FILTER_KEYS are ListScrapers' documented filter keys, sent as raw query parameters. */
const FILTER_KEYS = ['status', 'sourceArn', 'destinationArn', 'alias'] as const;

/** decodeConfiguration decodes a configurationBlob and validates it as the managed collector does; ValidationException names the field. */
function decodeConfiguration(blob: string, rules: ManagedRuleOptions): string {
  const field = 'scrapeConfiguration.configurationBlob';
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(blob.replace(/\s+/g, ''))) throw validationError([{ name: field, message: 'must be base64' }]);
  const text = Buffer.from(blob, 'base64').toString('utf8');
  try {
    validateManagedScrapeConfig(parsePrometheusConfig(text), rules);
  } catch (err) {
    if (err instanceof ScrapeConfigError) throw validationError([{ name: field, message: `invalid scrape configuration: ${err.message}` }]);
    throw err;
  }
  return text;
}

/** summary renders a scraper as AMP's ScraperSummary. */
function summary(s: ScraperRecord): Record<string, unknown> {
  return {
    ...(s.alias !== undefined ? { alias: s.alias } : {}),
    scraperId: s.scraperId,
    arn: s.arn,
    roleArn: s.roleArn,
    status: { statusCode: s.status },
    createdAt: epochSeconds(s.createdAt),
    lastModifiedAt: epochSeconds(s.lastModifiedAt),
    tags: s.tags,
    ...(s.statusReason !== undefined ? { statusReason: s.statusReason } : {}),
    source: s.source,
    destination: s.destination,
    ...(s.roleConfiguration !== undefined ? { roleConfiguration: s.roleConfiguration } : {}),
    ...(s.exporters !== undefined ? { exporters: s.exporters } : {}),
  };
}

function scraperIdParam(req: Parameters<typeof rawParam>[0]): string {
  const id = rawParam(req, 'scraperId');
  if (id.length < 1 || id.length > 64 || !idPattern.test(id)) throw validationError([{ name: 'scraperId', message: 'must be 1-64 characters matching [0-9A-Za-z][-.0-9A-Z_a-z]*' }]);
  return id;
}

function deleteToken(req: Parameters<typeof rawParam>[0]): void {
  const token = queryString((req.query as Record<string, unknown>)['clientToken']);
  if (token !== undefined && !clientTokenSchema.safeParse(token).success) throw validationError([{ name: 'clientToken', message: 'must be 1-64 printable ASCII characters' }]);
}

/** registerScraperRoutes adds the scraper operations: Create/Describe/List/Update/Delete, GetDefaultScraperConfiguration and the scraper logging configuration. */
export function registerScraperRoutes(app: FastifyInstance, ctx: RouteContext, cp: ControlPlane, opts: ScraperRouteOptions): void {
  const store = cp.scrapers;

  /** checkDestination refuses a workspace of another account or region, or one that does not exist. */
  const checkDestination = (d: z.infer<typeof destinationSchema>): void => {
    if (!('ampConfiguration' in d)) throw validationError([{ name: 'destination', message: 'Amphora writes scraped metrics to workspaces only (ampConfiguration)' }]);
    const arn = d.ampConfiguration.workspaceArn;
    const a = parseApsArn(arn);
    if (!a || a.resourceType !== 'workspace' || a.region !== cp.scope.region || a.accountId !== cp.scope.accountId) {
      throw validationError([{ name: 'destination.ampConfiguration.workspaceArn', message: `must be a workspace of account ${cp.scope.accountId} in ${cp.scope.region}` }]);
    }
    const w = cp.workspaces.get(a.resourcePath);
    if (!w) throw notFound(WORKSPACE_TYPE, a.resourcePath, `Workspace ${a.resourcePath} not found`);
  };
  const checkSource = (s: ScraperSource): void => {
    if (!('eksConfiguration' in s)) throw validationError([{ name: 'source', message: 'Amphora scrapes registered clusters only (eksConfiguration)' }]);
    const arn = s.eksConfiguration.clusterArn;
    const c = parseEksClusterArn(arn);
    if (!c || c.region !== cp.scope.region || c.accountId !== cp.scope.accountId) {
      throw validationError([{ name: 'source.eksConfiguration.clusterArn', message: `the cluster must be in account ${cp.scope.accountId} and region ${cp.scope.region}, as the scraper` }]);
    }
    if (opts.clusterExists && !opts.clusterExists(arn)) throw notFound('AWS::EKS::Cluster', arn, `Cluster ${c.name} is not registered (aws eks register-cluster, or clusters: in Amphora's config)`);
  };

  ampRoute(app, ctx, {
    method: 'POST',
    url: '/scrapers',
    conditionKeys: requestTagKeys,
    handler: (req) => {
      const input = parseJsonBody(req.body, createSchema);
      const configuration = decodeConfiguration(input.scrapeConfiguration.configurationBlob, opts.rules);
      checkSource(input.source);
      checkDestination(input.destination);
      const s = store.create({
        configuration,
        source: input.source,
        destination: input.destination,
        ...(input.alias !== undefined ? { alias: input.alias } : {}),
        ...(input.roleConfiguration !== undefined ? { roleConfiguration: input.roleConfiguration } : {}),
        ...(input.exporters !== undefined ? { exporters: input.exporters } : {}),
        ...(input.clientToken !== undefined ? { clientToken: input.clientToken } : {}),
        ...(input.tags !== undefined ? { tags: input.tags } : {}),
      });
      return { status: 202, body: { scraperId: s.scraperId, arn: s.arn, status: { statusCode: s.status }, tags: s.tags } };
    },
  });

  ampRoute(app, ctx, {
    method: 'GET',
    url: '/scrapers',
    handler: (req) => {
      const q = req.query as Record<string, unknown>;
      const maxResults = queryInt(q['maxResults'], 'maxResults', 1, 1000);
      const nextToken = queryString(q['nextToken']);
      if (nextToken !== undefined && nextToken.length > 1000) throw validationError([{ name: 'nextToken', message: 'must be at most 1000 characters' }]);
      const filters: Record<string, string[]> = {};
      for (const key of Object.keys(q)) {
        if (key === 'maxResults' || key === 'nextToken') continue;
        if (!(FILTER_KEYS as readonly string[]).includes(key)) throw validationError([{ name: `filters.${key}`, message: `unknown filter; the filters are ${FILTER_KEYS.join(', ')}` }]);
        const values = queryList(q[key]);
        if (values.length < 1 || values.length > 20 || values.some((v) => v.length < 1 || v.length > 256)) throw validationError([{ name: `filters.${key}`, message: 'must have 1-20 values of 1-256 characters' }]);
        filters[key] = values;
      }
      const page = store.list(filters as ScraperFilters, maxResults ?? 100, nextToken);
      return { status: 200, body: { scrapers: page.scrapers.map(summary), ...(page.nextToken ? { nextToken: page.nextToken } : {}) } };
    },
  });

  ampRoute(app, ctx, {
    method: 'GET',
    url: '/scrapers/:scraperId',
    handler: (req) => {
      const s = store.describe(scraperIdParam(req));
      return { status: 200, body: { scraper: { ...summary(s), scrapeConfiguration: { configurationBlob: Buffer.from(s.configuration, 'utf8').toString('base64') } } } };
    },
  });

  ampRoute(app, ctx, {
    method: 'PUT',
    url: '/scrapers/:scraperId',
    handler: (req) => {
      const id = scraperIdParam(req);
      const input = parseJsonBody(req.body, updateSchema);
      const configuration = input.scrapeConfiguration ? decodeConfiguration(input.scrapeConfiguration.configurationBlob, opts.rules) : undefined;
      if (input.destination) checkDestination(input.destination);
      const s = store.update(id, {
        ...(input.alias !== undefined ? { alias: input.alias } : {}),
        ...(configuration !== undefined ? { configuration } : {}),
        ...(input.destination !== undefined ? { destination: input.destination } : {}),
        ...(input.roleConfiguration !== undefined ? { roleConfiguration: input.roleConfiguration } : {}),
        ...(input.exporters !== undefined ? { exporters: input.exporters } : {}),
      });
      return { status: 202, body: { scraperId: s.scraperId, arn: s.arn, status: { statusCode: s.status }, tags: s.tags } };
    },
  });

  ampRoute(app, ctx, {
    method: 'DELETE',
    url: '/scrapers/:scraperId',
    handler: (req) => {
      const id = scraperIdParam(req);
      deleteToken(req);
      const s = store.markDeleting(id);
      return { status: 202, body: { scraperId: s.scraperId, status: { statusCode: s.status } } };
    },
  });

  ampRoute(app, ctx, {
    method: 'GET',
    url: '/scraperconfiguration',
    handler: () => ({ status: 200, body: { configuration: Buffer.from(DEFAULT_SCRAPER_CONFIGURATION, 'utf8').toString('base64') } }),
  });

  const L = '/scrapers/:scraperId/logging-configuration';
  ampRoute(app, ctx, {
    method: 'GET',
    url: L,
    handler: (req) => {
      const id = scraperIdParam(req);
      const l = store.logging(id);
      return {
        status: 200,
        body: { status: { statusCode: l.status }, scraperId: id, loggingDestination: { cloudWatchLogs: { logGroupArn: l.logGroupArn } }, scraperComponents: l.components, modifiedAt: epochSeconds(l.modifiedAt) },
      };
    },
  });
  ampRoute(app, ctx, {
    method: 'PUT',
    url: L,
    handler: (req) => {
      const id = scraperIdParam(req);
      const input = parseJsonBody(req.body, loggingSchema);
      const components = input.scraperComponents ?? [{ type: 'SERVICE_DISCOVERY' as const }, { type: 'COLLECTOR' as const }, { type: 'EXPORTER' as const }];
      return { status: 202, body: { status: { statusCode: store.putLogging(id, input.loggingDestination.cloudWatchLogs.logGroupArn, components) } } };
    },
  });
  ampRoute(app, ctx, {
    method: 'DELETE',
    url: L,
    handler: (req) => {
      const id = scraperIdParam(req);
      deleteToken(req);
      store.deleteLogging(id);
      return { status: 202 };
    },
  });
}

