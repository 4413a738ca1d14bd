import type { LabelSet, TargetGroup } from '../target-group.js';
import { addObjectMetaLabels, joinHostPort, META_PREFIX, NAMESPACE_LABEL } from './meta-labels.js';
import { nodeIndexOf, setContainerPortLabels, uncoveredPortTargets } from './pod-ports.js';
import type { KubeObject } from './objects.js';
import type { RoleContext } from './role-context.js';
import { podLabels } from './role-pod.js';
import { serviceLabels } from './role-service.js';

const E = `${META_PREFIX}endpoint_`;

interface EndpointAddress {
  ip?: string;
  hostname?: string;
  nodeName?: string;
  targetRef?: { kind?: string; name?: string; namespace?: string };
}
interface EndpointPort {
  name?: string;
  port?: number;
  protocol?: string;
}
interface Subset {
  addresses?: EndpointAddress[];
  notReadyAddresses?: EndpointAddress[];
  ports?: EndpointPort[];
}
/** endpointsSource is an Endpoints object's target group source: endpoints/<namespace>/<name>. */
export function endpointsSource(namespace: string, name: string): string {
  return `endpoints/${namespace}/${name}`;
}

/** endpointsPodKeys are the pods (namespace/name) an Endpoints object's ready addresses point at (Prometheus's podIndex). */
export function endpointsPodKeys(eps: KubeObject): string[] {
  const subsets = ((eps as { subsets?: Subset[] }).subsets ?? []);
  return subsets.flatMap((s) => (s.addresses ?? []).filter((a) => a.targetRef?.kind === 'Pod').map((a) => `${a.targetRef!.namespace ?? ''}/${a.targetRef!.name ?? ''}`));
}

/** endpointsNodeNames are the nodes an Endpoints object's ready addresses are indexed by (Prometheus's nodeIndex). */
export function endpointsNodeNames(eps: KubeObject): string[] {
  return nodeIndexOf(((eps as { subsets?: Subset[] }).subsets ?? []).flatMap((s) => s.addresses ?? []));
}

/** buildEndpoints is an Endpoints object's target group (Prometheus's buildEndpoints): one target per address and port, pod and service labels attached, plus the uncovered container ports of its pods. */
export function buildEndpoints(eps: KubeObject, ctx: RoleContext): TargetGroup {
  const ns = eps.metadata?.namespace ?? '';
  const name = eps.metadata?.name ?? '';
  let labels: LabelSet = { [NAMESPACE_LABEL]: ns };
  const svc = ctx.get('Service', `${ns}/${name}`);
  if (svc) labels = { ...labels, ...serviceLabels(svc) };
  addObjectMetaLabels(labels, eps.metadata, 'endpoints');
  if (ctx.attach.namespace) labels = ctx.withNamespaceLabels(labels, ns);
  const targets: LabelSet[] = [];
  const seenPods = new Map<string, { pod: KubeObject; ports: EndpointPort[] }>();
  const add = (addr: EndpointAddress, port: EndpointPort, ready: string): void => {
    let target: LabelSet = { __address__: joinHostPort(addr.ip ?? '', port.port ?? 0), [`${E}port_name`]: port.name ?? '', [`${E}port_protocol`]: port.protocol ?? '', [`${E}ready`]: ready };
    if (addr.targetRef !== undefined) {
      target[`${E}address_target_kind`] = addr.targetRef.kind ?? '';
      target[`${E}address_target_name`] = addr.targetRef.name ?? '';
    }
    if (addr.nodeName !== undefined) target[`${E}node_name`] = addr.nodeName;
    if (addr.hostname !== undefined && addr.hostname !== '') target[`${E}hostname`] = addr.hostname;
    if (ctx.attach.node) {
      if (addr.nodeName !== undefined) target = ctx.withNodeLabels(target, addr.nodeName);
      else if (addr.targetRef?.kind === 'Node') target = ctx.withNodeLabels(target, addr.targetRef.name ?? '');
    }
    const pod = addr.targetRef?.kind === 'Pod' ? ctx.get('Pod', `${addr.targetRef.namespace ?? ''}/${addr.targetRef.name ?? ''}`) : undefined;
    if (!pod) {
      targets.push(target);
      return;
    }
    const key = `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
    let seen = seenPods.get(key);
    if (!seen) seenPods.set(key, (seen = { pod, ports: [] }));
    target = { ...target, ...podLabels(pod, ctx) };
    setContainerPortLabels(target, pod, port.port ?? 0, () => port.protocol ?? '');
    seen.ports.push(port);
    targets.push(target);
  };
  for (const ss of ((eps as { subsets?: Subset[] }).subsets ?? [])) {
    for (const port of ss.ports ?? []) {
      for (const addr of ss.addresses ?? []) add(addr, port, 'true');
      for (const addr of ss.notReadyAddresses ?? []) add(addr, port, 'false');
    }
  }
  for (const { pod, ports } of seenPods.values()) targets.push(...uncoveredPortTargets(pod, ports.map((p) => p.port ?? 0), ctx));
  return { source: endpointsSource(ns, name), targets, labels };
}
