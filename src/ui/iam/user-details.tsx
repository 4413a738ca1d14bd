import { useState } from 'preact/hooks';
import { ConfirmButton } from '../components/confirm-button';
import { DataTable } from '../components/data-table';
import { Notice } from '../components/notice';
import { StatusBadge } from '../components/status-badge';
import { ACCESS_KEY_FIELDS, ATTACHED_POLICY_FIELDS, createAccessKey, createServiceCredential, iamDo, iamList, POLICY_FIELDS, SERVICE_CREDENTIAL_FIELDS } from '../lib/iam';
import { navigate, routeHref } from '../lib/router';
import { useSession } from '../lib/session';
import { useAsync } from '../lib/use-async';
import { SecretOnce } from './secret-once';
import { useAction } from './use-action';

/** UserDetails manages one user's access keys, service-specific credentials and attached policies. */
export function UserDetails({ name }: { name: string }) {
  const { creds } = useSession();
  const keys = useAsync(() => iamList(creds, 'ListAccessKeys', 'AccessKeyMetadata', ACCESS_KEY_FIELDS, { UserName: name }), [creds, name]);
  const svc = useAsync(() => iamList(creds, 'ListServiceSpecificCredentials', 'ServiceSpecificCredentials', SERVICE_CREDENTIAL_FIELDS, { UserName: name, ServiceName: 'aps.amazonaws.com' }), [creds, name]);
  const attached = useAsync(() => iamList(creds, 'ListAttachedUserPolicies', 'AttachedPolicies', ATTACHED_POLICY_FIELDS, { UserName: name }), [creds, name]);
  const policies = useAsync(() => iamList(creds, 'ListPolicies', 'Policies', POLICY_FIELDS, { Scope: 'All' }), [creds]);
  const [secret, setSecret] = useState<{ title: string; pairs: [string, string][] } | null>(null);
  const [policyArn, setPolicyArn] = useState('');
  const act = useAction();
  const newKey = () => act.run(async () => {
    const k = await createAccessKey(creds, name);
    setSecret({ title: 'New access key', pairs: [['Access key ID', k.AccessKeyId], ['Secret access key', k.SecretAccessKey]] });
    await keys.reload();
  });
  const newServiceCredential = () => act.run(async () => {
    const c = await createServiceCredential(creds, name);
    setSecret({ title: 'New service-specific credential', pairs: [['Service user name', c.ServiceUserName], ['Service password', c.ServicePassword]] });
    await svc.reload();
  });
  const attach = (e: Event) => {
    e.preventDefault();
    void act.run(async () => {
      await iamDo(creds, 'AttachUserPolicy', { UserName: name, PolicyArn: policyArn });
      await attached.reload();
      return 'Policy attached.';
    });
  };
  const errors = [keys.error, svc.error, attached.error].filter(Boolean);
  return (
    <section>
      <p><a href={routeHref(['iam', 'users'])}>← Users</a></p>
      <h2>User {name}</h2>
      {errors.map((e) => <Notice kind="error">{e}</Notice>)}
      {act.message && <Notice kind={act.message.kind}>{act.message.text}</Notice>}
      {secret && <SecretOnce title={secret.title} pairs={secret.pairs} onDismiss={() => setSecret(null)} />}
      <h3>Access keys</h3>
      <DataTable
        caption="Access keys (at most 2)"
        rows={keys.data ?? []}
        columns={[
          { title: 'Access key ID', cell: (k) => <code>{k.AccessKeyId}</code> },
          { title: 'Status', cell: (k) => <StatusBadge status={k.Status} /> },
          { title: 'Created', cell: (k) => k.CreateDate },
          { title: 'Actions', cell: (k) => <ConfirmButton class="btn-small" label="Delete" title="Delete this access key?" message={`Access key ${k.AccessKeyId} stops working at once.`} onConfirm={() => act.run(async () => { await iamDo(creds, 'DeleteAccessKey', { UserName: name, AccessKeyId: k.AccessKeyId }); await keys.reload(); return 'Access key deleted.'; }).then(() => {})} /> },
        ]}
      />
      <button type="button" onClick={() => void newKey()} disabled={act.busy}>Create access key</button>
      <h3>Service-specific credentials (aps.amazonaws.com)</h3>
      <p class="muted">A user name and password for HTTP basic auth or a bearer token on the data plane (remote write, queries), for senders that cannot sign SigV4.</p>
      <DataTable
        caption="Service-specific credentials (at most 2)"
        rows={svc.data ?? []}
        columns={[
          { title: 'Service user name', cell: (c) => <code>{c.ServiceUserName}</code> },
          { title: 'ID', cell: (c) => <code>{c.ServiceSpecificCredentialId}</code> },
          { title: 'Status', cell: (c) => <StatusBadge status={c.Status} /> },
          { title: 'Created', cell: (c) => c.CreateDate },
          { title: 'Actions', cell: (c) => <ConfirmButton class="btn-small" label="Delete" title="Delete this credential?" message={`${c.ServiceUserName} stops working at once.`} onConfirm={() => act.run(async () => { await iamDo(creds, 'DeleteServiceSpecificCredential', { UserName: name, ServiceSpecificCredentialId: c.ServiceSpecificCredentialId }); await svc.reload(); return 'Credential deleted.'; }).then(() => {})} /> },
        ]}
      />
      <button type="button" onClick={() => void newServiceCredential()} disabled={act.busy}>Create service credential</button>
      <h3>Attached policies</h3>
      <DataTable
        caption="Managed policies attached to this user"
        rows={attached.data ?? []}
        columns={[
          { title: 'Policy', cell: (p) => p.PolicyName },
          { title: 'ARN', cell: (p) => <code>{p.PolicyArn}</code> },
          { title: 'Actions', cell: (p) => <button type="button" class="btn-small" onClick={() => void act.run(async () => { await iamDo(creds, 'DetachUserPolicy', { UserName: name, PolicyArn: p.PolicyArn }); await attached.reload(); return 'Policy detached.'; })}>Detach</button> },
        ]}
      />
      <form class="inline-form" onSubmit={attach}>
        <label>
          Policy
          <select aria-label="Policy to attach" value={policyArn} onChange={(e) => setPolicyArn((e.target as HTMLSelectElement).value)} required>
            <option value="">Choose a policy</option>
            {(policies.data ?? []).map((p) => <option value={p.Arn}>{p.PolicyName}</option>)}
          </select>
        </label>
        <button type="submit" disabled={!policyArn || act.busy}>Attach policy</button>
      </form>
      <h3>Delete</h3>
      <ConfirmButton label="Delete user" title={`Delete user ${name}?`} message="Delete its access keys, service credentials and policies first; IAM refuses otherwise." typeToConfirm={name} onConfirm={() => act.run(async () => { await iamDo(creds, 'DeleteUser', { UserName: name }); navigate(routeHref(['iam', 'users'])); }).then(() => {})} />
    </section>
  );
}
