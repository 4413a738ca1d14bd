import { ConfirmButton } from '../components/confirm-button';
import { DataTable } from '../components/data-table';
import { Notice } from '../components/notice';
import { iamDo, iamList, ROLE_FIELDS } from '../lib/iam';
import { useSession } from '../lib/session';
import { useAsync } from '../lib/use-async';
import { PolicyForm } from './policy-form';
import { useAction } from './use-action';

/** Roles lists IAM roles, creates one with a trust policy, deletes them. */
export function Roles() {
  const { creds, identity } = useSession();
  const list = useAsync(() => iamList(creds, 'ListRoles', 'Roles', ROLE_FIELDS), [creds]);
  const act = useAction();
  const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${identity.Account}:root` }, Action: 'sts:AssumeRole' }] }, null, 2);
  return (
    <section>
      {list.error && <Notice kind="error">{list.error}</Notice>}
      {act.message && <Notice kind={act.message.kind}>{act.message.text}</Notice>}
      <DataTable
        caption="IAM roles"
        rows={list.data ?? []}
        empty={list.loading ? 'Loading…' : 'No roles yet.'}
        columns={[
          { title: 'Role', cell: (r) => r.RoleName, sort: (r) => r.RoleName },
          { title: 'ARN', cell: (r) => <code>{r.Arn}</code> },
          { title: 'Created', cell: (r) => r.CreateDate, sort: (r) => r.CreateDate },
          { title: 'Actions', cell: (r) => <ConfirmButton class="btn-small" label="Delete" title={`Delete role ${r.RoleName}?`} message="Detach its policies first." onConfirm={() => act.run(async () => { await iamDo(creds, 'DeleteRole', { RoleName: r.RoleName }); await list.reload(); return 'Role deleted.'; }).then(() => {})} /> },
        ]}
      />
      <h2>Create a role</h2>
      <PolicyForm
        nameLabel="Role name"
        docLabel="Trust policy (JSON)"
        kind="trust"
        initial={trust}
        submitLabel="Create role"
        busy={act.busy}
        onSubmit={(name, doc) => act.run(async () => { await iamDo(creds, 'CreateRole', { RoleName: name, AssumeRolePolicyDocument: doc }); await list.reload(); return `Role ${name} created.`; })}
      />
    </section>
  );
}
