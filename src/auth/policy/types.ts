/** Effect is a statement's effect. */
export type Effect = 'Allow' | 'Deny';

/** PrincipalBlock is a normalised Principal/NotPrincipal element: '*' or lists per principal type. */
export type PrincipalBlock = '*' | { AWS?: string[]; Federated?: string[]; Service?: string[]; CanonicalUser?: string[] };

/** ConditionBlock maps operator (e.g. 'ForAnyValue:StringLikeIfExists') to condition key to its values, all as strings. */
export type ConditionBlock = Record<string, Record<string, string[]>>;

/** Statement is one validated policy statement, element names as in IAM JSON, single values normalised to arrays. */
export interface Statement {
  Sid?: string;
  Effect: Effect;
  Principal?: PrincipalBlock;
  NotPrincipal?: PrincipalBlock;
  Action?: string[];
  NotAction?: string[];
  Resource?: string[];
  NotResource?: string[];
  Condition?: ConditionBlock;
}

/** PolicyDocument is a parsed and validated IAM policy. */
export interface PolicyDocument {
  Version?: string;
  Id?: string;
  Statement: Statement[];
}

/** PolicyKind says where a policy is used, which decides the elements it must and must not have. */
export type PolicyKind = 'identity' | 'resource' | 'trust';

/** PrincipalType is the kind of caller. */
export type PrincipalType = 'root' | 'user' | 'assumed-role' | 'federated-user' | 'federated' | 'service' | 'anonymous';

/** RequestPrincipal is who is calling. For 'federated', arn is the identity provider (ARN or name); for 'service', the service principal. */
export interface RequestPrincipal {
  arn: string;
  accountId: string;
  type: PrincipalType;
  userId: string;
  username?: string;
  /** roleArn is the role (with its path) behind an assumed-role session; derived from the session ARN when absent. */
  roleArn?: string;
  tags?: Record<string, string>;
}

/** ConditionValue is a request context value: single, multi-valued, or absent. */
export type ConditionValue = string | string[] | boolean | number | undefined;

/** RequestContext is the request as policy evaluation sees it. */
export interface RequestContext {
  /** action is 'service:Action', e.g. 'aps:RemoteWrite'. */
  action: string;
  /** resource is the ARN acted on ('*' for actions without resource). */
  resource: string;
  principal: RequestPrincipal;
  /** conditionKeys are context keys (names case-insensitive); aws:username, aws:userid, aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalType and aws:PrincipalTag/* are derived from principal when absent. */
  conditionKeys: Record<string, ConditionValue>;
}

/** NamedPolicy is a policy with the name reported in decisions. */
export interface NamedPolicy {
  name: string;
  doc: PolicyDocument;
}

/** Decision is the outcome of evaluation, naming the deciding statement when there is one. */
export type Decision = {
  effect: 'Allow' | 'Deny' | 'ImplicitDeny';
  matched?: { policy: string; statement: number | string };
  /** reason explains decisions no statement made (e.g. root access, root cannot assume roles). */
  reason?: string;
};

/** MalformedPolicyError is an invalid policy document; the message says where ('Statement[0].Effect: ...'). */
export class MalformedPolicyError extends Error {
  /** code is the AWS error code IAM answers with: LimitExceeded for a policy over its size quota. */
  readonly code: 'MalformedPolicyDocument' | 'LimitExceeded';
  constructor(message: string, code: 'MalformedPolicyDocument' | 'LimitExceeded' = 'MalformedPolicyDocument') {
    super(message);
    this.name = 'MalformedPolicyError';
    this.code = code;
  }
}
