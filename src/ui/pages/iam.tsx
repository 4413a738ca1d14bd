import { Policies } from '../iam/policies';
import { Roles } from '../iam/roles';
import { UserDetails } from '../iam/user-details';
import { Users } from '../iam/users';
import { routeHref } from '../lib/router';
import type { PageDef, PageProps } from './page';

const TABS = [
  { id: 'users', title: 'Users' },
  { id: 'roles', title: 'Roles' },
  { id: 'policies', title: 'Policies' },
] as const;

function Iam({ route }: PageProps) {
  const tab = TABS.find((t) => t.id === route.segments[1])?.id ?? 'users';
  const user = tab === 'users' ? route.segments[2] : undefined;
  return (
    <section>
      <h1>IAM</h1>
      <nav aria-label="IAM" class="subnav">
        {TABS.map((t) => <a href={routeHref(['iam', t.id])} aria-current={t.id === tab ? 'page' : undefined}>{t.title}</a>)}
      </nav>
      {user ? <UserDetails key={user} name={user} /> : tab === 'users' ? <Users /> : tab === 'roles' ? <Roles /> : <Policies />}
    </section>
  );
}

/** page is IAM: users, access keys, service-specific credentials, roles and policies. */
export const page: PageDef = { id: 'iam', title: 'IAM', order: 90, workspaceScoped: false, keyOnly: true, component: Iam };
