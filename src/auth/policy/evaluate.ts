import { evaluateConditions } from './conditions.js';
import { arnMatch, globMatch } from './match.js';
import { matchPrincipal, notPrincipalExcludes, roleArnOf, rootArnOf } from './principal.js';
import type { ConditionValue, Decision, NamedPolicy, PolicyDocument, RequestContext, RequestPrincipal, Statement } from './types.js';
import type { VarLookup } from './variables.js';

const PRINCIPAL_TYPE_NAMES: Record<RequestPrincipal['type'], string> = {
  root: 'Account',
  user: 'User',
  'assumed-role': 'AssumedRole',
  'federated-user': 'FederatedUser',
  federated: 'WebIdentityUser',
  service: 'AWSService',
  anonymous: 'Anonymous',
};

/** EvalContext is a request prepared for evaluation: case-insensitive key lookup and policy variables. */
interface EvalContext {
  ctx: RequestContext;
  lookup: (key: string) => ConditionValue;
  vars: VarLookup;
}

function prepare(ctx: RequestContext): EvalContext {
  const keys = new Map<string, ConditionValue>();
  const p = ctx.principal;
  const derived: Record<string, ConditionValue> = {
    'aws:principalaccount': p.type === 'federated' || p.type === 'service' || p.type === 'anonymous' ? undefined : p.accountId,
    'aws:principalarn': p.type === 'assumed-role' ? roleArnOf(p) : p.type === 'root' ? rootArnOf(p) : p.type === 'anonymous' ? undefined : p.arn,
    'aws:principaltype': PRINCIPAL_TYPE_NAMES[p.type],
    'aws:userid': p.userId || undefined,
    'aws:username': p.type === 'user' ? p.username : undefined,
  };
  for (const [k, v] of Object.entries(derived)) if (v !== undefined) keys.set(k, v);
  for (const [k, v] of Object.entries(p.tags ?? {})) keys.set(`aws:principaltag/${k.toLowerCase()}`, v);
  for (const [k, v] of Object.entries(ctx.conditionKeys)) if (v !== undefined) keys.set(k.toLowerCase(), v);
  const lookup = (key: string): ConditionValue => keys.get(key.toLowerCase());
  const vars: VarLookup = (name) => {
    const v = lookup(name);
    return v === undefined || Array.isArray(v) ? undefined : String(v);
  };
  return { ctx, lookup, vars };
}

function actionMatches(st: Statement, action: string): boolean {
  if (st.Action) return st.Action.some((a) => globMatch(a, action, true, null));
  return !st.NotAction!.some((a) => globMatch(a, action, true, null));
}

function resourceMatches(st: Statement, resource: string, vars: VarLookup | null): boolean {
  if (st.Resource) return st.Resource.some((r) => resourcePatternMatches(r, resource, vars));
  if (st.NotResource) return !st.NotResource.some((r) => resourcePatternMatches(r, resource, vars));
  return true; // trust policies: the role itself
}

function resourcePatternMatches(pattern: string, resource: string, vars: VarLookup | null): boolean {
  if (pattern === '*') return true;
  if (resource === '*') return false;
  return arnMatch(pattern, resource, vars);
}

/** StatementMatch is how a statement applies to a request: not at all, or with how its Principal named the caller. */
type StatementMatch = 'none' | 'account' | 'specific';

function statementMatch(st: Statement, doc: PolicyDocument, ec: EvalContext): StatementMatch {
  const vars = doc.Version === '2012-10-17' ? ec.vars : null;
  if (!actionMatches(st, ec.ctx.action)) return 'none';
  if (!resourceMatches(st, ec.ctx.resource, vars)) return 'none';
  let how: StatementMatch = 'specific';
  if (st.Principal) {
    how = matchPrincipal(st.Principal, ec.ctx.principal);
    if (how === 'none') return 'none';
  } else if (st.NotPrincipal && notPrincipalExcludes(st.NotPrincipal, ec.ctx.principal)) return 'none';
  if (!evaluateConditions(st.Condition, ec.lookup, vars)) return 'none';
  return how;
}

function stmtId(st: Statement, i: number): number | string {
  return st.Sid !== undefined && st.Sid !== '' ? st.Sid : i;
}

/** firstMatch finds the first statement of the given effect that applies, with how it named the principal. */
function firstMatch(p: NamedPolicy, effect: 'Allow' | 'Deny', ec: EvalContext, need: 'any' | 'specific'): Decision['matched'] | undefined {
  const sts = p.doc.Statement;
  for (let i = 0; i < sts.length; i++) {
    const st = sts[i]!;
    if (st.Effect !== effect) continue;
    const m = statementMatch(st, p.doc, ec);
    if (m === 'none' || (need === 'specific' && m !== 'specific')) continue;
    return { policy: p.name, statement: stmtId(st, i) };
  }
  return undefined;
}

/**
 * evaluate implements AWS's logic for a single account: an explicit Deny in any policy wins; else an
 * Allow from an identity policy, or from a resource policy naming the principal (naming only its
 * account delegates to identity policies and grants nothing by itself); else an implicit deny. The
 * account root is allowed unless a resource policy explicitly denies it.
 */
export function evaluate(ctx: RequestContext, identityPolicies: readonly NamedPolicy[], resourcePolicy?: NamedPolicy): Decision {
  const ec = prepare(ctx);
  const all = resourcePolicy ? [...identityPolicies, resourcePolicy] : identityPolicies;
  for (const p of all) {
    const m = firstMatch(p, 'Deny', ec, 'any');
    if (m) return { effect: 'Deny', matched: m };
  }
  if (ctx.principal.type === 'root') return { effect: 'Allow', reason: 'the account root user is allowed unless explicitly denied' };
  for (const p of identityPolicies) {
    const m = firstMatch(p, 'Allow', ec, 'any');
    if (m) return { effect: 'Allow', matched: m };
  }
  if (resourcePolicy) {
    const m = firstMatch(resourcePolicy, 'Allow', ec, 'specific');
    if (m) return { effect: 'Allow', matched: m };
  }
  return { effect: 'ImplicitDeny' };
}

function accountOfArn(arn: string): string | undefined {
  return /^arn:[^:]*:[^:]*:[^:]*:(\d{12}):/.exec(arn)?.[1];
}

/**
 * evaluateTrust decides whether a principal may assume a role (ctx.action sts:AssumeRole,
 * sts:AssumeRoleWithWebIdentity, ...; ctx.resource the role ARN) under the role's trust policy. A
 * Deny in the trust policy or the caller's identity policies wins. A trust Allow naming the caller
 * (or its role, a federated provider, a service, '*') suffices within the role's account; a trust
 * Allow naming only the caller's account, or a caller from another account, also needs an Allow from
 * the caller's identity policies. The account root user cannot assume roles.
 */
export function evaluateTrust(ctx: RequestContext, trustPolicy: NamedPolicy, callerIdentityPolicies: readonly NamedPolicy[] = []): Decision {
  const ec = prepare(ctx);
  for (const p of [trustPolicy, ...callerIdentityPolicies]) {
    const m = firstMatch(p, 'Deny', ec, 'any');
    if (m) return { effect: 'Deny', matched: m };
  }
  if (ctx.principal.type === 'root') return { effect: 'ImplicitDeny', reason: 'the account root user cannot assume roles' };
  const specific = firstMatch(trustPolicy, 'Allow', ec, 'specific');
  const viaAccount = specific ?? firstMatch(trustPolicy, 'Allow', ec, 'any');
  if (!viaAccount) return { effect: 'ImplicitDeny', reason: 'the trust policy does not allow this principal' };
  const p = ctx.principal;
  const awsCaller = p.type === 'user' || p.type === 'assumed-role' || p.type === 'federated-user';
  const sameAccount = accountOfArn(ctx.resource) === p.accountId;
  if (specific && (!awsCaller || sameAccount)) return { effect: 'Allow', matched: specific };
  if (!awsCaller) return { effect: 'ImplicitDeny', reason: 'the trust policy does not allow this principal' };
  for (const ip of callerIdentityPolicies) {
    const m = firstMatch(ip, 'Allow', ec, 'any');
    if (m) return { effect: 'Allow', matched: viaAccount, reason: `also allowed by identity policy ${m.policy} statement ${m.statement}` };
  }
  return { effect: 'ImplicitDeny', reason: "the trust policy delegates to the caller's account, and no identity policy of the caller allows this action" };
}
