import { afterEach, describe, expect, it } from 'vitest';
import { resolveConnection } from '../../../clusters/connection.js';
import type { TargetGroup } from '../target-group.js';
import { KubeDiscovery } from './kube-discovery.js';
import type { KubeObject } from './objects.js';
import { startFakeApiServer, type FakeApiServer } from './test-support.js';

const pod = (name: string, ip: string, ns = 'default'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: ns, uid: `uid-${name}`, labels: { app: 'web' } },
  spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'img', ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }] }] },
  status: { podIP: ip, phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
});

let api: FakeApiServer;
let d: KubeDiscovery | undefined;
afterEach(async () => {
  d?.stop();
  await api.close();
});

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(cond()).toBe(true);
}

describe('KubeDiscovery against an API server (list + watch)', () => {
  it('lists, then applies watch events within moments, and re-lists after a broken watch', async () => {
    api = await startFakeApiServer('tok', [pod('a', '10.0.0.1'), pod('other-ns', '10.0.0.9', 'kube-system')]);
    const last = new Map<string, TargetGroup>();
    d = new KubeDiscovery({
      connection: resolveConnection({ apiServer: api.url, token: 'tok' }),
      config: { role: 'pod', namespaces: ['default'], selectors: [], attach: { node: false, namespace: false, deployment: false, job: false, cronjob: false } },
      onGroups: (gs) => gs.forEach((g) => last.set(g.source, g)),
      backoffMs: 20,
    });
    d.start();
    await until(() => last.has('pod/default/a'));
    expect(last.get('pod/default/a')!.targets[0]).toMatchObject({ __address__: '10.0.0.1:8080', __meta_kubernetes_pod_container_port_name: 'http' });
    expect(last.get('pod/default/a')!.labels).toMatchObject({ __meta_kubernetes_namespace: 'default', __meta_kubernetes_pod_label_app: 'web', __meta_kubernetes_pod_ready: 'true' });
    expect(last.has('pod/kube-system/other-ns')).toBe(false);
    await until(() => api.lists.length === 1);
    await new Promise((r) => setTimeout(r, 50)); // the watch is open

    api.put(pod('b', '10.0.0.2'));
    await until(() => last.has('pod/default/b'));
    api.remove(pod('a', '10.0.0.1'));
    await until(() => last.get('pod/default/a')?.targets.length === 0);

    api.breakWatches();
    api.put(pod('c', '10.0.0.3')); // happens while no watch is open: the re-list must find it
    api.remove(pod('b', '10.0.0.2'));
    await until(() => last.has('pod/default/c') && last.get('pod/default/b')?.targets.length === 0);
    expect(api.lists.length).toBeGreaterThanOrEqual(2);
  });

  it('reports refused credentials and keeps retrying', async () => {
    api = await startFakeApiServer('tok');
    const errors: string[] = [];
    d = new KubeDiscovery({
      connection: resolveConnection({ apiServer: api.url, token: 'wrong' }),
      config: { role: 'node', namespaces: [], selectors: [], attach: { node: false, namespace: false, deployment: false, job: false, cronjob: false } },
      onGroups: () => undefined,
      onError: (m) => errors.push(m),
      backoffMs: 10,
      maxBackoffMs: 20,
    });
    d.start();
    await until(() => errors.length >= 2);
    expect(errors[0]).toMatch(/Node discovery failed: LIST \/api\/v1\/nodes answered HTTP 401/);
  });
});
