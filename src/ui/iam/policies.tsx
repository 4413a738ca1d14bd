import { useState } from 'preact/hooks';
import { ConfirmButton } from '../components/confirm-button';
import { DataTable } from '../components/data-table';
import { Notice } from '../components/notice';
import { iamDo, iamList, POLICY_FIELDS } from '../lib/iam';
import { text } from '../lib/query-api';
import { useSession } from '../lib/session';
import { useAsync } from '../lib/use-async';
import { PolicyForm } from './policy-form';
import { useAction } from './use-action';

const EXAMPLE = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['aps:QueryMetrics', 'aps:GetLabels', 'aps:GetSeries', 'aps:GetMetricMetadata'], Resource: '*' }] }, null, 2);

/** Policies lists managed policies (AWS's and the account's), shows a document, creates and deletes the account's own. */
export function Policies() {
  const { creds } = useSession();
  const list = useAsync(() => iamList(creds, 'ListPolicies', 'Policies', POLICY_FIELDS, { Scope: 'All' }), [creds]);
  const [shown, setShown] = useState<{ arn: string; doc: string } | null>(null);
  const act = useAction();
  const view = (arn: string, version: string) =>
    act.run(async () => {
      const r = await iamDo(creds, 'GetPolicyVersion', { PolicyArn: arn, VersionId: version });
      const raw = decodeURIComponent(text(r, 'Document'));
      setShown({ arn, doc: JSON.stringify(JSON.parse(raw), null, 2) });
    });
  return (
    <section>
      {list.error && <Notice kind="error">{list.error}</Notice>}
      {act.message && <Notice kind={act.message.kind}>{act.message.text}</Notice>}
      <DataTable
        caption="Managed policies"
        rows={list.data ?? []}
        empty={list.loading ? 'Loading…' : 'No policies.'}
        columns={[
          { title: 'Policy', cell: (p) => p.PolicyName, sort: (p) => p.PolicyName },
          { title: 'ARN', cell: (p) => <code>{p.Arn}</code> },
          { title: 'Attachments', cell: (p) => p.AttachmentCount, sort: (p) => Number(p.AttachmentCount), numeric: true },
          {
            title: 'Actions',
            cell: (p) => (
              <span class="row">
                <button type="button" class="btn-small" onClick={() => void view(p.Arn, p.DefaultVersionId)}>View</button>
                {!p.Arn.includes(':aws:policy/') && (
                  <ConfirmButton class="btn-small" label="Delete" title={`Delete policy ${p.PolicyName}?`} message="Detach it from every user, group and role first." onConfirm={() => act.run(async () => { await iamDo(creds, 'DeletePolicy', { PolicyArn: p.Arn }); await list.reload(); return 'Policy deleted.'; }).then(() => {})} />
                )}
              </span>
            ),
          },
        ]}
      />
      {shown && (
        <div class="copy-block">
          <div class="copy-head"><span class="copy-label">{shown.arn}</span><button type="button" class="btn-small" onClick={() => setShown(null)}>Close</button></div>
          <pre tabIndex={0}>{shown.doc}</pre>
        </div>
      )}
      <h2>Create a policy</h2>
      <PolicyForm
        nameLabel="Policy name"
        docLabel="Policy document (JSON)"
        kind="identity"
        initial={EXAMPLE}
        submitLabel="Create policy"
        busy={act.busy}
        onSubmit={(name, doc) => act.run(async () => { await iamDo(creds, 'CreatePolicy', { PolicyName: name, PolicyDocument: doc }); await list.reload(); return `Policy ${name} created.`; })}
      />
    </section>
  );
}
