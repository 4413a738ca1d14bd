import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import type { ConditionKeys, RouteAuthLookup } from '../../http/route-auth.js';
import type { Logger } from '../../model/logger.js';
import { AmpError, renderAmpError, toAmpError, type AmpErrorDetail } from '../errors.js';
import { queryList } from '../input.js';

/** AmpResult is a handler's answer: the operation's success status and optional JSON body. */
export interface AmpResult {
  readonly status: number;
  readonly body?: Record<string, unknown>;
}

/** AmpRouteSpec declares one AMP operation's route; its IAM action and resource ARN come from the route table. */
export interface AmpRouteSpec {
  readonly method: HTTPMethods;
  readonly url: string;
  /** conditionKeys adds request-derived condition keys to the policy check (tags of the request). */
  readonly conditionKeys?: (req: FastifyRequest) => ConditionKeys;
  readonly handler: (req: FastifyRequest) => AmpResult | Promise<AmpResult>;
}

/** RouteContext is what every AMP route needs: the route table lookup, logger, and the request gate (rate limit). */
export interface RouteContext {
  readonly auth: RouteAuthLookup;
  readonly logger: Logger;
  /** admit throws ThrottlingException when the control plane's request rate is exceeded. */
  readonly admit: () => void;
}

/** sendAmpError writes an AMP restJson1 error response. */
export function sendAmpError(reply: FastifyReply, detail: AmpErrorDetail): FastifyReply {
  const r = renderAmpError(detail);
  return reply.code(r.status).headers(r.headers).send(JSON.stringify(r.body));
}

/** ampRoute registers an AMP operation: errors become AMP error shapes, successes JSON with the operation's status. */
export function ampRoute(app: FastifyInstance, ctx: RouteContext, spec: AmpRouteSpec): void {
  app.route({
    method: spec.method,
    url: spec.url,
    config: { auth: ctx.auth(String(spec.method), spec.url, spec.conditionKeys ? { conditionKeys: spec.conditionKeys } : {}) },
    handler: async (req, reply) => {
      try {
        ctx.admit();
        const res = await spec.handler(req);
        reply.code(res.status);
        if (res.body === undefined) return reply.send();
        return reply.header('content-type', 'application/json').send(JSON.stringify(res.body));
      } catch (err) {
        if (!(err instanceof AmpError)) ctx.logger.error({ err, route: `${String(spec.method)} ${spec.url}`, path: req.url }, 'control plane operation failed');
        return sendAmpError(reply, toAmpError(err));
      }
    },
  });
}

/** TokenBucket is the control plane's request-rate limiter (ThrottlingException when empty). */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly now: () => number,
  ) {
    this.tokens = burst;
    this.last = now();
  }

  /** take consumes one token or throws ThrottlingException saying the limit. */
  take(): void {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.ratePerSecond);
    this.last = t;
    if (this.tokens < 1) {
      throw new AmpError({
        kind: 'ThrottlingException',
        message: `Rate exceeded: the control plane allows ${this.ratePerSecond} requests/s (burst ${this.burst}); raise controlPlane.rateLimit to allow more`,
        serviceCode: 'aps',
        quotaCode: 'control-plane-request-rate',
        retryAfterSeconds: Math.max(1, Math.ceil((1 - this.tokens) / this.ratePerSecond)),
      });
    }
    this.tokens -= 1;
  }
}

/** epochSeconds renders a ms timestamp as restJson1's default timestamp format (epoch seconds). */
export function epochSeconds(ms: number): number {
  return ms / 1000;
}

/** requestTagKeys derives aws:RequestTag/<key> and aws:TagKeys from the `tags` object of a JSON body (none when it does not parse; the handler rejects it). */
export function requestTagKeys(req: FastifyRequest): ConditionKeys {
  let tags: unknown;
  try {
    tags = (JSON.parse(Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '{}') as { tags?: unknown }).tags;
  } catch {
    return {};
  }
  if (tags === null || typeof tags !== 'object' || Array.isArray(tags)) return {};
  const keys: ConditionKeys = { 'aws:TagKeys': Object.keys(tags) };
  for (const [k, v] of Object.entries(tags)) if (typeof v === 'string') keys[`aws:RequestTag/${k}`] = v;
  return keys;
}

/** untagKeys derives aws:TagKeys from UntagResource's repeated `tagKeys` query parameter. */
export function untagKeys(req: FastifyRequest): ConditionKeys {
  return { 'aws:TagKeys': queryList((req.query as Record<string, unknown>)['tagKeys']) };
}
