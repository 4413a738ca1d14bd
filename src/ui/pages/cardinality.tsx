import { Cardinality } from '../cardinality/cardinality';
import type { PageDef, PageProps } from './page';

function CardinalityPage({ workspaceId }: PageProps) {
  if (!workspaceId) return <p class="muted">Choose a workspace above to see its cardinality.</p>;
  return <Cardinality key={workspaceId} ws={workspaceId} />;
}

/** page is Cardinality: `status/tsdb` and the metadata browser. */
export const page: PageDef = { id: 'cardinality', title: 'Cardinality', order: 30, workspaceScoped: true, keyOnly: false, component: CardinalityPage };
