import { randomUUID } from 'node:crypto';
import type { Principal } from '../../http/route-auth.js';
import type { Logger } from '../../model/logger.js';
import { toRequestPrincipal, type RequestFacts } from '../authn/authorize.js';
import type { IdentityStore, RoleRecord } from '../authn/identity-store.js';
import { WebIdentityError } from '../oidc/errors.js';
import { issuerKey, type JwksSource } from '../oidc/jwks.js';
import { verifyWebIdentity } from '../oidc/web-identity.js';
import { evaluateTrust } from '../policy/evaluate.js';
import { parsePolicy } from '../policy/parse.js';
import type { ConditionValue, Decision, NamedPolicy, RequestPrincipal } from '../policy/types.js';
import { StsError } from './errors.js';
import { durationSeconds, rejectSessionPolicies, requireParam, sessionName, sessionTags } from './params.js';
import { credentialsXml, el, stsResponse } from './xml.js';
import { assumedRoleArn } from '../arn.js';

/** StsDeps are what the STS actions need. */
export interface StsDeps {
  store: IdentityStore;
  jwks: JwksSource;
  logger: Logger;
  now: () => number;
  /** requestId generates response request ids (default randomUUID). */
  requestId?: () => string;
  /** webIdentitySkewMs is the clock skew tolerated for JWT exp/nbf/iat (default 5 minutes). */
  webIdentitySkewMs?: number;
}

/** StsCaller is the authenticated caller of an STS action (absent for AssumeRoleWithWebIdentity). */
export interface StsCaller {
  principal: Principal;
  /** temporary is true when the caller signed with session credentials. */
  temporary: boolean;
  facts: RequestFacts;
}

/** StsResult is an STS response: status and XML body. */
export interface StsResult {
  status: number;
  xml: string;
}

/** STS_ACTIONS are the STS actions Amphora serves. */
export const STS_ACTIONS = ['GetCallerIdentity', 'AssumeRole', 'AssumeRoleWithWebIdentity', 'GetSessionToken'] as const;

/** StsAction is one of STS_ACTIONS. */
export type StsAction = (typeof STS_ACTIONS)[number];

/** isStsAction narrows an Action parameter to a served STS action. */
export function isStsAction(a: string): a is StsAction {
  return (STS_ACTIONS as readonly string[]).includes(a);
}

/** handleStsAction runs one STS action (Version 2011-06-15) and renders AWS's XML; throws StsError. */
export async function handleStsAction(deps: StsDeps, action: StsAction, caller: StsCaller | undefined, params: URLSearchParams): Promise<StsResult> {
  const rid = (deps.requestId ?? randomUUID)();
  if (action === 'AssumeRoleWithWebIdentity') return { status: 200, xml: stsResponse(action, await assumeRoleWithWebIdentity(deps, params), rid) };
  if (!caller) throw new StsError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403);
  if (caller.temporary && (caller.principal.type === 'root' || caller.principal.type === 'user') && action === 'GetSessionToken') {
    throw new StsError('AccessDenied', 'Cannot call GetSessionToken with session credentials', 403);
  }
  switch (action) {
    case 'GetCallerIdentity':
      return { status: 200, xml: stsResponse(action, getCallerIdentity(caller.principal), rid) };
    case 'AssumeRole':
      return { status: 200, xml: stsResponse(action, assumeRole(deps, caller, params), rid) };
    case 'GetSessionToken':
      return { status: 200, xml: stsResponse(action, getSessionToken(deps, caller, params), rid) };
    default:
      return assertNever(action);
  }
}

function assertNever(x: never): never {
  throw new Error(`unhandled STS action ${String(x)}`);
}

function getCallerIdentity(p: Principal): string {
  return el('Arn', p.arn) + el('UserId', p.userId) + el('Account', p.accountId);
}

function trustPolicies(deps: StsDeps, role: RoleRecord, caller: Principal | undefined): { trust: NamedPolicy; identity: NamedPolicy[] } {
  const trust = { name: `${role.roleName} trust policy`, doc: parsePolicy(role.assumeRolePolicyDocument, 'trust') };
  const identity = caller ? deps.store.identityPolicies(caller).map((p) => ({ name: p.name, doc: parsePolicy(p.document, 'identity') })) : [];
  return { trust, identity };
}

function trustDecision(deps: StsDeps, role: RoleRecord, principal: RequestPrincipal, caller: Principal | undefined, action: string, keys: Record<string, ConditionValue>): Decision {
  try {
    const { trust, identity } = trustPolicies(deps, role, caller);
    return evaluateTrust({ action, resource: role.arn, principal, conditionKeys: keys }, trust, identity);
  } catch (e) {
    deps.logger.error({ role: role.arn, err: (e as Error).message }, 'trust policy could not be evaluated');
    return { effect: 'ImplicitDeny', reason: 'policy could not be evaluated' };
  }
}

function sessionPrincipal(deps: StsDeps, role: RoleRecord, session: string, tags: Record<string, string>): Principal {
  const allTags = { ...role.tags, ...tags };
  return {
    type: 'assumed-role',
    arn: assumedRoleArn(deps.store.accountId, role.roleName, session),
    userId: `${role.roleId}:${session}`,
    accountId: deps.store.accountId,
    accessKeyId: '',
    ...(Object.keys(allTags).length > 0 ? { tags: allTags } : {}),
  };
}

function assumedRoleUserXml(p: Principal): string {
  return '<AssumedRoleUser>' + el('Arn', p.arn) + el('AssumedRoleId', p.userId) + '</AssumedRoleUser>';
}

function issue(deps: StsDeps, principal: Principal, seconds: number): ReturnType<IdentityStore['createSessionCredentials']> {
  return deps.store.createSessionCredentials({ principal, expiresAt: deps.now() + seconds * 1000 });
}

function assumeRole(deps: StsDeps, caller: StsCaller, params: URLSearchParams): string {
  const roleArn = requireParam(params, 'RoleArn');
  const session = sessionName(params);
  rejectSessionPolicies(params);
  const tags = sessionTags(params);
  const chained = caller.principal.type === 'assumed-role';
  const role = deps.store.getRoleByArn(roleArn);
  const denied = (): StsError =>
    new StsError('AccessDenied', `User: ${caller.principal.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`, 403);
  if (!role) {
    deps.logger.warn({ event: 'access_denied', principal: caller.principal.arn, action: 'sts:AssumeRole', resource: roleArn, reason: 'no such role' }, 'request denied');
    throw denied();
  }
  const max = chained ? Math.min(3600, role.maxSessionDuration) : role.maxSessionDuration;
  const tooLong = chained
    ? 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.'
    : 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.';
  const seconds = durationSeconds(params, 3600, 900, max, tooLong);
  const keys: Record<string, ConditionValue> = {
    'aws:SourceIp': caller.facts.sourceIp,
    'aws:SecureTransport': caller.facts.secureTransport,
    'aws:CurrentTime': new Date(deps.now()).toISOString(),
    'sts:RoleSessionName': session,
    'sts:ExternalId': params.get('ExternalId') ?? undefined,
    'sts:SourceIdentity': params.get('SourceIdentity') ?? undefined,
  };
  for (const [k, v] of Object.entries(tags)) keys[`aws:RequestTag/${k}`] = v;
  if (Object.keys(tags).length > 0) keys['aws:TagKeys'] = Object.keys(tags);
  const rp = toRequestPrincipal(caller.principal);
  const checks = Object.keys(tags).length > 0 ? ['sts:AssumeRole', 'sts:TagSession'] : ['sts:AssumeRole'];
  for (const action of checks) {
    const d = trustDecision(deps, role, rp, caller.principal, action, keys);
    if (d.effect !== 'Allow') {
      deps.logger.warn({ event: 'access_denied', principal: caller.principal.arn, action, resource: role.arn, decision: d.effect, reason: d.reason }, 'request denied');
      if (action === 'sts:TagSession') {
        throw new StsError('AccessDenied', `User: ${caller.principal.arn} is not authorized to perform: sts:TagSession on resource: ${role.arn}`, 403);
      }
      throw denied();
    }
  }
  const principal = sessionPrincipal(deps, role, session, tags);
  const creds = issue(deps, principal, seconds);
  const sourceIdentity = params.get('SourceIdentity') ?? undefined;
  return assumedRoleUserXml(principal) + credentialsXml(creds) + el('SourceIdentity', sourceIdentity);
}

async function assumeRoleWithWebIdentity(deps: StsDeps, params: URLSearchParams): Promise<string> {
  const roleArn = requireParam(params, 'RoleArn');
  const session = sessionName(params);
  const token = requireParam(params, 'WebIdentityToken');
  rejectSessionPolicies(params);
  let id;
  try {
    id = await verifyWebIdentity(token, {
      store: deps.store,
      jwks: deps.jwks,
      now: deps.now,
      ...(deps.webIdentitySkewMs !== undefined ? { skewMs: deps.webIdentitySkewMs } : {}),
    });
  } catch (e) {
    if (e instanceof WebIdentityError) {
      deps.logger.warn({ event: 'authentication_failed', action: 'sts:AssumeRoleWithWebIdentity', resource: roleArn, code: e.code, reason: e.message }, 'web identity rejected');
      throw new StsError(e.code, e.message, e.httpStatus);
    }
    throw e;
  }
  const denied = (reason: string): StsError => {
    deps.logger.warn(
      { event: 'access_denied', principal: id.provider.arn, subject: id.subject, action: 'sts:AssumeRoleWithWebIdentity', resource: roleArn, reason },
      'request denied',
    );
    return new StsError('AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity', 403);
  };
  const role = deps.store.getRoleByArn(roleArn);
  if (!role) throw denied('no such role');
  const seconds = durationSeconds(params, 3600, 900, role.maxSessionDuration, 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
  const prefix = issuerKey(id.provider.url);
  const keys: Record<string, ConditionValue> = {
    [`${prefix}:sub`]: id.subject,
    [`${prefix}:aud`]: id.audience,
    [`${prefix}:oaud`]: id.claims.aud as ConditionValue,
    'aws:FederatedProvider': id.provider.arn,
    'sts:RoleSessionName': session,
  };
  if (typeof id.claims.amr === 'string' || Array.isArray(id.claims.amr)) keys[`${prefix}:amr`] = id.claims.amr as ConditionValue;
  const federated: RequestPrincipal = { type: 'federated', arn: id.provider.arn, accountId: deps.store.accountId, userId: id.subject };
  const d = trustDecision(deps, role, federated, undefined, 'sts:AssumeRoleWithWebIdentity', keys);
  if (d.effect !== 'Allow') throw denied(d.reason ?? d.effect);
  const principal = sessionPrincipal(deps, role, session, {});
  const creds = issue(deps, principal, seconds);
  return (
    credentialsXml(creds) +
    el('SubjectFromWebIdentityToken', id.subject) +
    assumedRoleUserXml(principal) +
    el('Provider', id.provider.arn) +
    el('Audience', id.audience) +
    el('SourceIdentity', params.get('SourceIdentity') ?? undefined)
  );
}

function getSessionToken(deps: StsDeps, caller: StsCaller, params: URLSearchParams): string {
  const p = caller.principal;
  if (p.type !== 'user' && p.type !== 'root') {
    throw new StsError('AccessDenied', 'Cannot call GetSessionToken with session credentials', 403);
  }
  if (params.get('SerialNumber') !== null || params.get('TokenCode') !== null) {
    throw new StsError('AccessDenied', 'MFA devices are not supported by Amphora; call GetSessionToken without SerialNumber and TokenCode', 403);
  }
  const seconds = p.type === 'root' ? durationSeconds(params, 3600, 900, 3600) : durationSeconds(params, 43200, 900, 129600);
  const creds = issue(deps, { ...p, accessKeyId: '' }, seconds);
  return credentialsXml(creds);
}
