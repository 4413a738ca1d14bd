import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TargetGroup } from '../target-group.js';
import { KubeDiscoverer, type KubeRole } from './discoverer.js';
import type { KubeKind, KubeObject } from './objects.js';

// Prometheus's own kubernetes discovery tests as JSON (../shared/corpus/k8s-sd): the initial objects go
// through the informers (LIST), then each event (WATCH) one at a time; the last group per source must
// equal the expected map exactly.
const CORPUS = process.env.AMPHORA_K8S_SD_DIR ?? resolve(import.meta.dirname, '../../../../../shared/corpus/k8s-sd');

interface Case {
  name: string;
  role: KubeRole;
  config: { namespaces: { own_namespace: boolean; names: string[] }; selectors: { role: string; label?: string; field?: string }[]; attach_metadata: Record<string, boolean> };
  own_namespace_name?: string;
  initial: KubeObject[];
  events: { op: 'add' | 'update' | 'delete'; object: KubeObject }[];
  expected: Record<string, { targets: Record<string, string>[]; labels: Record<string, string> }>;
}

function load(role: string): Case[] {
  return JSON.parse(readFileSync(join(CORPUS, `${role}.json`), 'utf8')) as Case[];
}

function run(c: Case): Record<string, { targets: Record<string, string>[]; labels: Record<string, string> }> {
  const ns = [...c.config.namespaces.names, ...(c.config.namespaces.own_namespace ? [c.own_namespace_name ?? 'own-ns'] : [])];
  const a = c.config.attach_metadata;
  const d = new KubeDiscoverer({ role: c.role, namespaces: ns, selectors: c.config.selectors, attach: { node: !!a['node'], namespace: !!a['namespace'], deployment: !!a['deployment'], job: !!a['job'], cronjob: !!a['cronjob'] } });
  for (const w of d.watches()) d.replace(w.kind, c.initial.filter((o) => (o.kind as KubeKind) === w.kind));
  const last = new Map<string, TargetGroup>();
  const keep = (gs: TargetGroup[]): void => {
    for (const g of gs) last.set(g.source, g);
  };
  keep(d.sync());
  for (const e of c.events) keep(d.apply(e.op, e.object));
  return Object.fromEntries([...last].map(([s, g]) => [s, { targets: g.targets, labels: g.labels }]));
}

describe.skipIf(!existsSync(CORPUS)).each(['pod', 'node', 'service', 'ingress', 'endpoints', 'endpointslice'])('kubernetes_sd %s role matches Prometheus (k8s-sd corpus)', (role) => {
  it.each(load(role).map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(run(c)).toEqual(c.expected);
  });
});

