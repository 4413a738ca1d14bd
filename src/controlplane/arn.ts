/** AccountScope is the region and account every ARN of this control plane carries. */
export interface AccountScope {
  readonly region: string;
  readonly accountId: string;
}

/** workspaceArn is `arn:aws:aps:<region>:<account>:workspace/<id>`. */
export function workspaceArn(scope: AccountScope, workspaceId: string): string {
  return `arn:aws:aps:${scope.region}:${scope.accountId}:workspace/${workspaceId}`;
}

/** workspaceWildcardArn is the resource ARN of account-wide workspace actions (CreateWorkspace, ListWorkspaces). */
export function workspaceWildcardArn(scope: AccountScope): string {
  return `arn:aws:aps:${scope.region}:${scope.accountId}:workspace/*`;
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
