import type { Principal } from '../../http/route-auth.js';
import type { ConditionValue } from '../policy/types.js';
import { IamError } from '../store/errors.js';
import type { SqliteIdentityStore } from '../store/identity-store.js';
import type { QueryParams } from './params.js';
import { iamArn } from '../arn.js';

/** IamCall is one IAM request as an action handler sees it. */
export interface IamCall {
  readonly store: SqliteIdentityStore;
  readonly params: QueryParams;
  /** caller is the authenticated principal (needed when UserName is omitted, e.g. GetUser, CreateAccessKey). */
  readonly caller: Principal | undefined;
  /** jwksDir is the directory local JWKS files (the amphora:jwks-file tag) must lie in (auth.jwksDir; unset: the tag is refused). */
  readonly jwksDir?: string;
}

/** IamActionHandler is one IAM action: the resource ARN it is authorised on, and what it does. */
export interface IamActionHandler {
  /** resource is the ARN passed to authorize('iam:<Action>', resource). */
  resource(c: IamCall): string;
  /** conditionKeys are extra request context keys for authorisation (e.g. iam:PolicyARN). */
  conditionKeys?(c: IamCall): Record<string, ConditionValue>;
  /** run performs the action and returns the inner XML of <ActionResult>, or null for actions without output. */
  run(c: IamCall): string | null;
}

/** IamActionTable maps action names to handlers. */
export type IamActionTable = Readonly<Record<string, IamActionHandler>>;

function acct(c: IamCall): string {
  return c.store.accountId;
}

/** callerUserName is UserName, else the calling IAM user's name; ValidationError for non-user callers (as IAM), except where root is allowed. */
export function callerUserName(c: IamCall): string {
  const name = c.params.optional('UserName');
  if (name !== undefined) return name;
  if (c.caller?.type === 'user' && c.caller.username) return c.caller.username;
  throw new IamError('ValidationError', 'Must specify userName when calling with non-User credentials');
}

/** userArn is the ARN of the named user (its real path when it exists, else Path or '/'). */
export function userArn(c: IamCall, name: string): string {
  return c.store.users.find(name)?.arn ?? iamArn(acct(c), 'user', c.params.optional('Path') ?? '/', name);
}

/** groupArn is the ARN of the named group (its real path when it exists, else Path or '/'). */
export function groupArn(c: IamCall, name: string): string {
  return c.store.groups.find(name)?.arn ?? iamArn(acct(c), 'group', c.params.optional('Path') ?? '/', name);
}

/** roleArn is the ARN of the named role (its real path when it exists, else Path or '/'). */
export function roleArn(c: IamCall, name: string): string {
  return c.store.roles.find(name)?.arn ?? iamArn(acct(c), 'role', c.params.optional('Path') ?? '/', name);
}

/** policyArnFor is the ARN a new customer managed policy gets. */
export function policyArnFor(c: IamCall, name: string): string {
  return iamArn(acct(c), 'policy', c.params.optional('Path') ?? '/', name);
}

/** checkArn validates an ARN parameter's length as IAM does (20..2048). */
export function checkArn(value: string, member: string): string {
  if (value.length < 20 || value.length > 2048) {
    throw new IamError('ValidationError', `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must have length between 20 and 2048`);
  }
  return value;
}
