import { DataTable } from '../components/data-table';
import { Notice } from '../components/notice';
import { iamDo, iamList, USER_FIELDS } from '../lib/iam';
import { routeHref } from '../lib/router';
import { useSession } from '../lib/session';
import { useAsync } from '../lib/use-async';
import { useAction } from './use-action';

/** Users lists IAM users and creates them. */
export function Users() {
  const { creds } = useSession();
  const users = useAsync(() => iamList(creds, 'ListUsers', 'Users', USER_FIELDS), [creds]);
  const act = useAction();
  const create = async (e: Event): Promise<void> => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const name = String(new FormData(form).get('userName') ?? '').trim();
    if (await act.run(async () => { await iamDo(creds, 'CreateUser', { UserName: name }); return `User ${name} created.`; })) {
      form.reset();
      await users.reload();
    }
  };
  return (
    <section>
      {users.error && <Notice kind="error">{users.error}</Notice>}
      <DataTable
        caption="IAM users"
        rows={users.data ?? []}
        empty={users.loading ? 'Loading…' : 'No users yet.'}
        columns={[
          { title: 'User name', cell: (u) => <a href={routeHref(['iam', 'users', u.UserName])}>{u.UserName}</a>, sort: (u) => u.UserName },
          { title: 'ARN', cell: (u) => <code>{u.Arn}</code> },
          { title: 'Created', cell: (u) => u.CreateDate, sort: (u) => u.CreateDate },
        ]}
      />
      <h2>Create a user</h2>
      {act.message && <Notice kind={act.message.kind}>{act.message.text}</Notice>}
      <form class="inline-form" onSubmit={create}>
        <label>
          User name
          <input name="userName" required pattern="[\w+=,.@\-]{1,64}" />
        </label>
        <button type="submit" class="btn-primary" disabled={act.busy}>Create user</button>
      </form>
    </section>
  );
}
