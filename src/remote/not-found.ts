/** workspaceNotFound is the AWS-shaped 404 the data-plane endpoints answer for an unknown workspace (x-amzn-errortype ResourceNotFoundException). */
export function workspaceNotFound(workspaceId: string): { status: number; headers: Record<string, string>; body: string } {
  return {
    status: 404,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'ResourceNotFoundException' },
    body: JSON.stringify({ message: `Workspace not found: ${workspaceId}`, resourceId: workspaceId, resourceType: 'Workspace' }),
  };
}
