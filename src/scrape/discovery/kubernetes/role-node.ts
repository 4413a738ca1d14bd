import type { LabelSet, TargetGroup } from '../target-group.js';
import { addObjectMetaLabels, joinHostPort, META_PREFIX, sanitizeLabelName } from './meta-labels.js';
import type { KubeObject } from './objects.js';

/** nodeSource is a node's target group source: node/<name>. */
export function nodeSource(name: string): string {
  return `node/${name}`;
}

const ADDRESS_ORDER = ['InternalIP', 'InternalDNS', 'ExternalIP', 'ExternalDNS', 'LegacyHostIP', 'Hostname'];

/** buildNode is a node's target group: its kubelet address, or null (nothing sent) when the node has no address. */
export function buildNode(node: KubeObject): TargetGroup | null {
  const spec = (node.spec ?? {}) as { providerID?: string };
  const status = (node.status ?? {}) as { conditions?: { type?: string; status?: string }[]; addresses?: { type?: string; address?: string }[]; daemonEndpoints?: { kubeletEndpoint?: { Port?: number } } };
  const name = node.metadata?.name ?? '';
  const labels: LabelSet = { [`${META_PREFIX}node_provider_id`]: spec.providerID ?? '' };
  for (const c of status.conditions ?? []) labels[`${META_PREFIX}node_condition_${sanitizeLabelName((c.type ?? '').toLowerCase())}`] = (c.status ?? '').toLowerCase();
  addObjectMetaLabels(labels, node.metadata, 'node');
  const byType = new Map<string, string[]>();
  for (const a of status.addresses ?? []) byType.set(a.type ?? '', [...(byType.get(a.type ?? '') ?? []), a.address ?? '']);
  const kind = ADDRESS_ORDER.find((t) => byType.has(t));
  if (kind === undefined) return null;
  const target: LabelSet = { __address__: joinHostPort(byType.get(kind)![0]!, status.daemonEndpoints?.kubeletEndpoint?.Port ?? 0), instance: name };
  for (const [t, addrs] of byType) target[sanitizeLabelName(`${META_PREFIX}node_address_${t}`)] = addrs[0]!;
  return { source: nodeSource(name), targets: [target], labels };
}
