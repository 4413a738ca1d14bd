import { describe, expect, it } from 'vitest';
import { migrate, openMetaDB } from '../metadb/metadb.js';
import { CONTROLPLANE_MODULE, controlPlaneMigrations } from '../controlplane/schema.js';
import { TagStore } from '../controlplane/tag-store.js';
import { ClusterStore } from './cluster-store.js';
import { EksError } from './errors.js';

function store(): ClusterStore {
  const db = openMetaDB(':memory:');
  migrate(db, CONTROLPLANE_MODULE, controlPlaneMigrations);
  return new ClusterStore(db, new TagStore(db), {
    scope: { region: 'us-east-1', accountId: '123456789012' },
    now: () => 1_000,
    config: { static: [{ name: 'cfg', apiServer: 'https://10.0.0.1:6443', token: 'secret', oidcIssuer: 'https://issuer.example' }], connections: { lab: { apiServer: 'https://10.0.0.2:6443', token: 't' }, loose: { token: 't' } } },
  });
}
const connector = { roleArn: 'arn:aws:iam::123456789012:role/c', provider: 'OTHER' };

describe('ClusterStore', () => {
  it('describes config clusters as ACTIVE with their issuer and resolves ARNs', () => {
    const s = store();
    expect(s.describe('cfg')).toMatchObject({ arn: 'arn:aws:eks:us-east-1:123456789012:cluster/cfg', status: 'ACTIVE', endpoint: 'https://10.0.0.1:6443', oidcIssuer: 'https://issuer.example' });
    expect(s.byArn('arn:aws:eks:us-east-1:123456789012:cluster/cfg')?.name).toBe('cfg');
    expect(s.byArn('arn:aws:eks:eu-west-1:123456789012:cluster/cfg')).toBeNull();
  });

  it('registers clusters whose tags name a connection; a tag cannot send a connection\'s credentials elsewhere', () => {
    const s = store();
    expect(s.register({ name: 'pending', connectorConfig: connector }).status).toBe('PENDING');
    expect(s.register({ name: 'lab1', connectorConfig: connector, tags: { 'amphora.io/connection': 'lab' } })).toMatchObject({ status: 'ACTIVE', endpoint: 'https://10.0.0.2:6443', connection: { token: 't' } });
    const refused = (f: () => unknown, msg: RegExp): void => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(EksError);
        expect((e as Error).message).toMatch(msg);
        return;
      }
      throw new Error('expected a refusal');
    };
    refused(() => s.register({ name: 'x', connectorConfig: connector, tags: { 'amphora.io/connection': 'lab', 'amphora.io/api-server': 'https://evil:1' } }), /must be absent or equal/);
    refused(() => s.register({ name: 'y', connectorConfig: connector, tags: { 'amphora.io/connection': 'loose', 'amphora.io/api-server': 'https://evil:1' } }), /names no apiServer or kubeconfig/);
    refused(() => s.tag('lab1', { 'amphora.io/api-server': 'https://evil:1' }), /must be absent or equal/);
    refused(() => s.register({ name: 'cfg', connectorConfig: connector }), /already exists/);
    refused(() => s.deregister('cfg'), /defined in Amphora's config/);
    expect(s.list({ includeRegistered: false, maxResults: 100 }).names).toEqual(['cfg']);
    const page = s.list({ includeRegistered: true, maxResults: 2 });
    expect(page.names).toEqual(['cfg', 'lab1']);
    expect(s.list({ includeRegistered: true, maxResults: 2, nextToken: page.nextToken! }).names).toEqual(['pending']);
    s.deregister('pending');
    expect(s.byArn('arn:aws:eks:us-east-1:123456789012:cluster/pending')).toBeNull();
  });
});
