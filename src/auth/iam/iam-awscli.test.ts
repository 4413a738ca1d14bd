import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openMetaDB } from '../../metadb/metadb.js';
import { commandWorks } from '../peer-command.test-util.js';
import { parsePolicy } from '../policy/parse.js';
import { SqliteIdentityStore } from '../store/identity-store.js';
import { startIamTestServer, type IamTestServer } from './test-server.js';

const HAVE_PEERS = commandWorks('aws') && commandWorks('jq');
if (!HAVE_PEERS) console.warn('SKIP auth/iam AWS CLI interop: the `aws` command (or `jq`, which the article script uses) is not installed');

const OIDC = 'oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
const SCRIPT = fileURLToPath(new URL('./testdata/irsa.sh', import.meta.url));

let store: SqliteIdentityStore;
let server: IamTestServer;
let dir: string;

function runScript(): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      'bash',
      ['irsa.sh'],
      {
        cwd: dir,
        timeout: 120_000,
        env: {
          PATH: process.env['PATH'] ?? '',
          HOME: process.env['HOME'] ?? '/tmp',
          AMPHORA_ENDPOINT: server.endpoint,
          AMPHORA_OIDC_PROVIDER: OIDC,
          AWS_ACCESS_KEY_ID: 'AKIAROOT000000000001',
          AWS_SECRET_ACCESS_KEY: 'secret',
          AWS_DEFAULT_REGION: 'us-east-1',
          AWS_CONFIG_FILE: '/dev/null',
          AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
          AWS_EC2_METADATA_DISABLED: 'true',
          AWS_MAX_ATTEMPTS: '1',
          AWS_PAGER: '',
        },
      },
      (err, stdout, stderr) => (err ? reject(new Error(`script failed: ${stderr}`)) : resolve({ stdout, stderr })),
    );
  });
}

describe.skipIf(!HAVE_PEERS)("IAM API through the AWS CLI: the AMP article's IRSA script", () => {
  beforeAll(async () => {
    store = new SqliteIdentityStore({ db: openMetaDB(':memory:') });
    server = await startIamTestServer(store);
    dir = mkdtempSync(join(tmpdir(), 'amphora-irsa-'));
    copyFileSync(SCRIPT, join(dir, 'irsa.sh'));
  });
  afterAll(async () => server?.close());

  it('creates the policy, the web-identity role and the attachment, then appends to the trust policy on a second run', async () => {
    const first = await runScript();
    expect(first.stdout).toContain('Creating a new permission policy AWSManagedPrometheusWriteAccessPolicy');
    expect(first.stdout).toContain('EKS-AMP-ServiceAccount-Role role does not exist');
    expect(first.stdout).toContain('arn:aws:iam::000000000000:role/EKS-AMP-ServiceAccount-Role');
    expect(first.stderr).toContain('NoSuchEntity');
    const policyArn = 'arn:aws:iam::000000000000:policy/AWSManagedPrometheusWriteAccessPolicy';
    const doc = parsePolicy(store.policies.defaultDocument(policyArn)!.document, 'identity');
    expect(doc.Statement[0]!.Action).toEqual(['aps:RemoteWrite', 'aps:QueryMetrics', 'aps:GetSeries', 'aps:GetLabels', 'aps:GetMetricMetadata']);
    const role = store.roles.get('EKS-AMP-ServiceAccount-Role');
    expect(role.description).toBe('IAM role to be used by a K8s service account with write access to AMP');
    expect(store.entityPolicies.listAttached('role', role.roleName)).toEqual([{ policyName: 'AWSManagedPrometheusWriteAccessPolicy', policyArn }]);
    const trust1 = parsePolicy(role.trustPolicy, 'trust');
    expect(trust1.Statement.map((s) => s.Condition?.['StringEquals']?.[`${OIDC}:sub`])).toEqual([
      ['system:serviceaccount:grafana:iamproxy-service-account'],
      ['system:serviceaccount:prometheus:iamproxy-service-account'],
    ]);
    expect(store.findOidcProviderByIssuer(`https://${OIDC}`)?.clientIds).toEqual(['sts.amazonaws.com']);

    const second = await runScript();
    expect(second.stdout).toContain('Permission policy AWSManagedPrometheusWriteAccessPolicy already exists');
    expect(second.stdout).toContain('arn:aws:iam::000000000000:role/EKS-AMP-ServiceAccount-Role role already exists. Updating the trust policy');
    // `get-role --query 'Role.AssumeRolePolicyDocument.Statement[]'` yields the old statements only when the
    // CLI can decode the URL-encoded document IAM returns; the script then appends the two new ones.
    expect(parsePolicy(store.roles.get('EKS-AMP-ServiceAccount-Role').trustPolicy, 'trust').Statement).toHaveLength(4);
    expect(store.oidcProviders.list()).toHaveLength(1);
  }, 240_000);
});
