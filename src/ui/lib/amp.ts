import type { Credentials } from './credentials';
import { ApiError } from './errors';
import type { Params } from './escape';
import { signedFetch } from './sign';

/** WorkspaceStatusCode is AMP's workspace status. */
export type WorkspaceStatusCode = 'CREATING' | 'ACTIVE' | 'UPDATING' | 'DELETING' | 'CREATION_FAILED';

/** WorkspaceSummary is one entry of ListWorkspaces. */
export interface WorkspaceSummary {
  readonly workspaceId: string;
  readonly alias?: string;
  readonly arn: string;
  readonly status: { readonly statusCode: WorkspaceStatusCode };
  readonly createdAt: number;
  readonly tags?: Record<string, string>;
}

/** WorkspaceDescription is DescribeWorkspace's workspace. */
export interface WorkspaceDescription extends WorkspaceSummary {
  readonly prometheusEndpoint?: string;
}

/** ampCall sends one signed AMP control-plane (restJson1) request and parses its JSON answer; errors become ApiError with AWS's type. */
export async function ampCall<T>(creds: Credentials, method: string, path: string, body?: unknown, query?: Params): Promise<T> {
  const res = await signedFetch(creds, {
    service: 'aps',
    method,
    path,
    ...(query ? { query } : {}),
    ...(body !== undefined ? { body: JSON.stringify(body), contentType: 'application/json' } : {}),
  });
  const text = await res.text();
  const json = text ? (JSON.parse(text) as unknown) : {};
  if (!res.ok) {
    const type = (res.headers.get('x-amzn-errortype') ?? '').split(':')[0]!;
    throw new ApiError((json as { message?: string }).message ?? res.statusText, res.status, type);
  }
  return json as T;
}

/** wsPath is a workspace's control-plane path. */
export function wsPath(id: string, sub = ''): string {
  return `/workspaces/${encodeURIComponent(id)}${sub}`;
}

/** listWorkspaces follows ListWorkspaces' pages. */
export async function listWorkspaces(creds: Credentials): Promise<WorkspaceSummary[]> {
  const out: WorkspaceSummary[] = [];
  let token: string | undefined;
  do {
    const page = await ampCall<{ workspaces: WorkspaceSummary[]; nextToken?: string }>(creds, 'GET', '/workspaces', undefined, token ? { nextToken: token } : undefined);
    out.push(...page.workspaces);
    token = page.nextToken;
  } while (token);
  return out;
}

/** describeWorkspace is DescribeWorkspace. */
export async function describeWorkspace(creds: Credentials, id: string): Promise<WorkspaceDescription> {
  return (await ampCall<{ workspace: WorkspaceDescription }>(creds, 'GET', wsPath(id))).workspace;
}
