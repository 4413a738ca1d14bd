import type { PageDef, PageProps } from './page';
import { WorkspaceDetails } from '../workspaces/details';
import { WorkspaceList } from '../workspaces/list';

function Workspaces({ route }: PageProps) {
  const id = route.segments[1];
  return id ? <WorkspaceDetails id={id} /> : <WorkspaceList />;
}

/** page is the workspaces page: list, create, and one workspace's details (`#/workspaces/<id>`). */
export const page: PageDef = { id: 'workspaces', title: 'Workspaces', order: 10, workspaceScoped: false, keyOnly: true, component: Workspaces };
