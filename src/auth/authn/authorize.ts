import type { Principal } from '../../http/route-auth.js';
import type { Logger } from '../../model/logger.js';
import { evaluate } from '../policy/evaluate.js';
import { parsePolicy } from '../policy/parse.js';
import type { ConditionValue, Decision, NamedPolicy, PolicyDocument, PolicyKind, RequestPrincipal } from '../policy/types.js';
import { SigV4Error } from '../sigv4/errors.js';
import { accessDenied } from './errors.js';
import type { IdentityStore } from './identity-store.js';

/** AuthorizerDeps are what policy authorisation needs. */
export interface AuthorizerDeps {
  store: Pick<IdentityStore, 'identityPolicies'>;
  region: string;
  logger: Logger;
  now: () => number;
  /** resourcePolicy returns the resource-based policy (JSON) of an ARN, e.g. a workspace's; null when it has none. */
  resourcePolicy?: (resourceArn: string) => string | null;
  /** resourceTags returns the tags of an ARN for aws:ResourceTag/* conditions. */
  resourceTags?: (resourceArn: string) => Readonly<Record<string, string>> | null;
}

/** RequestFacts are the facts of an HTTP request that become condition keys. */
export interface RequestFacts {
  sourceIp: string;
  secureTransport: boolean;
  method: string;
  path: string;
}

/** toRequestPrincipal maps an authenticated Principal to the policy evaluator's principal. */
export function toRequestPrincipal(p: Principal): RequestPrincipal {
  const type = p.type === 'federated' ? 'federated-user' : p.type;
  return {
    arn: p.arn,
    accountId: p.accountId,
    type,
    userId: p.userId,
    ...(p.username !== undefined ? { username: p.username } : {}),
    ...(p.tags ? { tags: { ...p.tags } } : {}),
  };
}

/** Authorizer evaluates identity (and resource) policies for a principal; authorize throws AccessDenied. */
export interface Authorizer {
  decide(principal: Principal, facts: RequestFacts, action: string, resource: string, keys?: Record<string, ConditionValue>): Decision;
  authorize(principal: Principal, facts: RequestFacts, action: string, resource: string, keys?: Record<string, ConditionValue>): void;
}

const CACHE_MAX = 1024;

/** createAuthorizer builds the policy authoriser: parsed policies are cached by text; malformed stored policies deny (fail closed). */
export function createAuthorizer(deps: AuthorizerDeps): Authorizer {
  const cache = new Map<string, PolicyDocument>();
  const parse = (text: string, kind: PolicyKind): PolicyDocument => {
    const key = kind + '\u0000' + text;
    let doc = cache.get(key);
    if (!doc) {
      doc = parsePolicy(text, kind);
      if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
      cache.set(key, doc);
    }
    return doc;
  };

  const decide: Authorizer['decide'] = (principal, facts, action, resource, keys = {}) => {
    const now = deps.now();
    const conditionKeys: Record<string, ConditionValue> = {
      'aws:SourceIp': facts.sourceIp,
      'aws:SecureTransport': facts.secureTransport,
      'aws:CurrentTime': new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      'aws:EpochTime': String(Math.floor(now / 1000)),
      'aws:RequestedRegion': deps.region,
    };
    const tags = resource !== '*' ? deps.resourceTags?.(resource) : null;
    for (const [k, v] of Object.entries(tags ?? {})) conditionKeys[`aws:ResourceTag/${k}`] = v;
    Object.assign(conditionKeys, keys);
    const identity: NamedPolicy[] = deps.store.identityPolicies(principal).map((p) => ({ name: p.name, doc: parse(p.document, 'identity') }));
    const rp = resource !== '*' ? deps.resourcePolicy?.(resource) : null;
    const resourcePolicy = rp ? { name: 'resource-policy', doc: parse(rp, 'resource') } : undefined;
    return evaluate({ action, resource, principal: toRequestPrincipal(principal), conditionKeys }, identity, resourcePolicy);
  };

  return {
    decide,
    authorize(principal, facts, action, resource, keys) {
      let decision: Decision;
      try {
        decision = decide(principal, facts, action, resource, keys);
      } catch (e) {
        deps.logger.error({ principal: principal.arn, action, resource, err: (e as Error).message }, 'authorisation failed: a policy could not be evaluated');
        throw new SigV4Error('AccessDenied', `User: ${principal.arn} is not authorized to perform: ${action} on resource: ${resource} because a policy could not be evaluated`);
      }
      if (decision.effect === 'Allow') return;
      deps.logger.warn(
        {
          event: 'access_denied',
          principal: principal.arn,
          accessKeyId: principal.accessKeyId,
          action,
          resource,
          decision: decision.effect,
          ...(decision.matched ? { matched: decision.matched } : {}),
          sourceIp: facts.sourceIp,
          method: facts.method,
          path: facts.path,
        },
        'request denied',
      );
      const why = decision.effect === 'Deny' ? (decision.matched?.policy === 'resource-policy' ? 'explicit-resource' : 'explicit') : 'implicit';
      throw accessDenied(principal.arn, action, resource, why);
    },
  };
}
