/**
 * The one ARN builder and parser: every `arn:aws:...` Amphora produces (AMP resources, IAM
 * entities, STS sessions) is built here, so a format fix lands everywhere at once.
 */

/** ArnScope is the region and account resource ARNs are built in. */
export interface ArnScope {
  readonly region: string;
  readonly accountId: string;
}

/** AccountScope is the control plane's name for an ArnScope. */
export type AccountScope = ArnScope;

/** PARTITION is the partition of every ARN Amphora builds. */
export const PARTITION = 'aws';

/** apsArn builds an AMP resource ARN: arn:aws:aps:<region>:<account>:<resource>. */
export function apsArn(scope: ArnScope, resource: string): string {
  return `arn:${PARTITION}:aps:${scope.region}:${scope.accountId}:${resource}`;
}

/** ARNS builds the ARN of each AMP resource type as AMP names them ('*' as an id gives the wildcard). */
export const ARNS = {
  /** workspace is arn:aws:aps:<r>:<a>:workspace/<id>. */
  workspace: (s: ArnScope, id: string) => apsArn(s, `workspace/${id}`),
  /** ruleGroupsNamespace is arn:aws:aps:<r>:<a>:rulegroupsnamespace/<workspaceId>/<name>. */
  ruleGroupsNamespace: (s: ArnScope, workspaceId: string, name: string) => apsArn(s, `rulegroupsnamespace/${workspaceId}/${name}`),
  /** scraper is arn:aws:aps:<r>:<a>:scraper/<id>. */
  scraper: (s: ArnScope, id: string) => apsArn(s, `scraper/${id}`),
  /** anomalyDetector is arn:aws:aps:<r>:<a>:anomalydetector/<workspaceId>/<id>. */
  anomalyDetector: (s: ArnScope, workspaceId: string, id: string) => apsArn(s, `anomalydetector/${workspaceId}/${id}`),
} as const;

/** eksClusterArn is arn:aws:eks:<region>:<account>:cluster/<name>, the ARN of a cluster in the EKS-compatible registry. */
export function eksClusterArn(scope: ArnScope, name: string): string {
  return `arn:${PARTITION}:eks:${scope.region}:${scope.accountId}:cluster/${name}`;
}

/** parseEksClusterArn returns a cluster ARN's region, account and name, or null when the text is not one. */
export function parseEksClusterArn(arn: string): { region: string; accountId: string; name: string } | null {
  const m = /^arn:aws[-a-z]*:eks:([-a-z0-9]+):(\d{12}):cluster\/(.+)$/.exec(arn);
  return m ? { region: m[1]!, accountId: m[2]!, name: m[3]! } : null;
}

/** iamArn builds arn:aws:iam::<account>:<type><path><name>, e.g. iamArn('123…', 'user', '/', 'alice'). */
export function iamArn(accountId: string, type: 'user' | 'group' | 'role' | 'policy', path: string, name: string): string {
  return `arn:${PARTITION}:iam::${accountId}:${type}${path}${name}`;
}

/** accountRootArn is arn:aws:iam::<account>:root, the account's root principal. */
export function accountRootArn(accountId: string): string {
  return `arn:${PARTITION}:iam::${accountId}:root`;
}

/** oidcProviderArn is arn:aws:iam::<account>:oidc-provider/<issuer without scheme>. */
export function oidcProviderArn(accountId: string, issuer: string): string {
  return `arn:${PARTITION}:iam::${accountId}:oidc-provider/${issuer}`;
}

/** awsManagedPolicyArn is arn:aws:iam::aws:policy/<name>, an AWS managed policy. */
export function awsManagedPolicyArn(name: string): string {
  return `arn:${PARTITION}:iam::aws:policy/${name}`;
}

/** assumedRoleArn is arn:aws:sts::<account>:assumed-role/<role>/<session>. */
export function assumedRoleArn(accountId: string, roleName: string, sessionName: string): string {
  return `arn:${PARTITION}:sts::${accountId}:assumed-role/${roleName}/${sessionName}`;
}

/** roleArnOfAssumedRole maps arn:<p>:sts::<a>:assumed-role/<role>/<session> to arn:<p>:iam::<a>:role/<role>, or undefined. */
export function roleArnOfAssumedRole(arn: string): string | undefined {
  const m = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\//.exec(arn);
  return m ? `arn:${m[1]}:iam::${m[2]}:role/${m[3]}` : undefined;
}

/** IamRoleArn is a parsed arn:aws:iam::<account>:role<path><name>. */
export interface IamRoleArn {
  readonly accountId: string;
  /** path is '/' or '/a/b/'. */
  readonly path: string;
  readonly roleName: string;
}

const ROLE_ARN_RE = /^arn:aws:iam::(\d{12}):role(\/(?:.*\/)?)([^/]+)$/;

/** parseRoleArn parses an IAM role ARN, or returns null when the text is not one. */
export function parseRoleArn(arn: string): IamRoleArn | null {
  const m = ROLE_ARN_RE.exec(arn);
  return m ? { accountId: m[1]!, path: m[2]!, roleName: m[3]! } : null;
}

/** ApsArn is a parsed `arn:<partition>:aps:<region>:<account>:<resourceType>/<path>` ARN. */
export interface ApsArn {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  /** resourceType is e.g. workspace, rulegroupsnamespace, scraper, anomalydetector. */
  readonly resourceType: string;
  /** resourcePath is the part after `<resourceType>/` (e.g. the workspace id, or `<workspaceId>/<name>`). */
  readonly resourcePath: string;
}

const APS_ARN_RE = /^arn:(aws[a-z-]*):aps:([a-z0-9-]+):([0-9]{12}):([a-z]+)\/(.+)$/;

/** parseApsArn parses an aps ARN, or returns null when the text is not one. */
export function parseApsArn(arn: string): ApsArn | null {
  const m = APS_ARN_RE.exec(arn);
  if (!m) return null;
  return { partition: m[1]!, region: m[2]!, accountId: m[3]!, resourceType: m[4]!, resourcePath: m[5]! };
}

/** workspaceIdOfArn returns the workspace an aps ARN belongs to (the workspace itself or a resource inside it), or null. */
export function workspaceIdOfArn(arn: string): string | null {
  const a = parseApsArn(arn);
  if (!a) return null;
  switch (a.resourceType) {
    case 'workspace':
      return a.resourcePath.includes('/') ? null : a.resourcePath;
    case 'rulegroupsnamespace':
    case 'anomalydetector':
      return a.resourcePath.split('/')[0] ?? null;
    default:
      return null;
  }
}
