import { Explore } from '../explore/explore';
import type { PageDef, PageProps } from './page';

function ExplorePage({ route, workspaceId }: PageProps) {
  if (!workspaceId) return <p class="muted">Choose a workspace above to query it.</p>;
  return <Explore key={workspaceId} route={route} ws={workspaceId} />;
}

/** page is Explore: PromQL with completion, graph and table. */
export const page: PageDef = { id: 'explore', title: 'Explore', order: 20, workspaceScoped: true, keyOnly: false, component: ExplorePage };
