import type { WorkspaceReadView } from './head-server.js';

/** FederatedReadView is what the main thread serves to a cross-workspace job: the first workspace's view, and every workspace's by index. */
export interface FederatedReadView extends WorkspaceReadView {
  readonly parts: readonly WorkspaceReadView[];
}

/** federatedReadView combines the views of a cross-workspace query's workspaces (in QueryJob.federation order). */
export function federatedReadView(parts: readonly WorkspaceReadView[]): FederatedReadView {
  const first = parts[0]!;
  return { head: first.head, blocks: () => first.blocks(), parts };
}

/** viewFor picks the view a head call asks for: the job's own (no ws), or workspace ws of a federated view; null when there is none. */
export function viewFor(view: WorkspaceReadView, ws: number | undefined): WorkspaceReadView | null {
  if (ws === undefined) return view;
  const parts = (view as Partial<FederatedReadView>).parts;
  return parts?.[ws] ?? null;
}
