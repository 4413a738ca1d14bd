import { accountRootArn, roleArnOfAssumedRole } from '../arn.js';
import type { PrincipalBlock, RequestPrincipal } from './types.js';

/** rootArnOf returns the account root ARN of a principal's account. */
export function rootArnOf(p: RequestPrincipal): string {
  return accountRootArn(p.accountId);
}

/** roleArnOf returns the role ARN behind an assumed-role session (its path kept when principal.roleArn is given). */
export function roleArnOf(p: RequestPrincipal): string | undefined {
  if (p.type !== 'assumed-role') return undefined;
  if (p.roleArn) return p.roleArn;
  return roleArnOfAssumedRole(p.arn);
}

/** identityChain lists the ARNs a principal is known by: its account, then role, then itself. */
function identityChain(p: RequestPrincipal): string[] {
  switch (p.type) {
    case 'root':
      return [rootArnOf(p)];
    case 'user':
    case 'federated-user':
      return [rootArnOf(p), p.arn];
    case 'assumed-role': {
      const role = roleArnOf(p);
      return role ? [rootArnOf(p), role, p.arn] : [rootArnOf(p), p.arn];
    }
    case 'federated':
    case 'service':
    case 'anonymous':
      return [];
    default:
      return assertNever(p.type);
  }
}

function assertNever(x: never): never {
  throw new Error(`unhandled principal type ${String(x)}`);
}

function normaliseAws(entry: string): string {
  return /^\d{12}$/.test(entry) ? accountRootArn(entry) : entry;
}

/** PrincipalMatch says how a Principal element names the caller: not at all, through its account, or specifically (the caller, its role, or '*'). */
export type PrincipalMatch = 'none' | 'account' | 'specific';

/** matchPrincipal tells how a Principal element names the request principal. */
export function matchPrincipal(block: PrincipalBlock, p: RequestPrincipal): PrincipalMatch {
  if (block === '*') return 'specific';
  if (p.type === 'federated') return block.Federated?.includes(p.arn) ? 'specific' : 'none';
  if (p.type === 'service') return block.Service?.includes(p.arn) ? 'specific' : 'none';
  const aws = block.AWS;
  if (!aws) return 'none';
  if (aws.includes('*')) return 'specific';
  if (p.type === 'anonymous') return 'none';
  const chain = identityChain(p);
  let result: PrincipalMatch = 'none';
  for (const raw of aws) {
    const e = normaliseAws(raw);
    if (e === chain[0]) {
      if (p.type === 'root') return 'specific';
      result = 'account';
    } else if (chain.indexOf(e) > 0) return 'specific';
  }
  return result;
}

/**
 * notPrincipalExcludes reports whether a NotPrincipal element excludes the caller. As in IAM, every
 * identity the caller is known by must be listed: for a user its account and user ARN; for a role
 * session its account, role and session ARNs.
 */
export function notPrincipalExcludes(block: PrincipalBlock, p: RequestPrincipal): boolean {
  if (block === '*') return true;
  if (p.type === 'federated') return block.Federated?.includes(p.arn) ?? false;
  if (p.type === 'service') return block.Service?.includes(p.arn) ?? false;
  const listed = new Set((block.AWS ?? []).map(normaliseAws));
  if (listed.has('*')) return true;
  const chain = identityChain(p);
  return chain.length > 0 && chain.every((a) => listed.has(a));
}
