import type { LabelSet, TargetGroup } from '../target-group.js';
import { addObjectMetaLabels, joinHostPort, META_PREFIX, NAMESPACE_LABEL, sanitizeLabelName } from './meta-labels.js';
import { nodeIndexOf, setContainerPortLabels, uncoveredPortTargets } from './pod-ports.js';
import type { KubeObject } from './objects.js';
import type { RoleContext } from './role-context.js';
import { podLabels } from './role-pod.js';
import { serviceLabels } from './role-service.js';

const S = `${META_PREFIX}endpointslice_`;
/** SERVICE_NAME_LABEL is the label that ties an EndpointSlice to its Service. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

interface SlicePort {
  name?: string;
  port?: number;
  protocol?: string;
  appProtocol?: string;
}
interface SliceEndpoint {
  addresses?: string[];
  conditions?: { ready?: boolean; serving?: boolean; terminating?: boolean };
  hostname?: string;
  nodeName?: string;
  zone?: string;
  targetRef?: { kind?: string; name?: string; namespace?: string };
  deprecatedTopology?: Record<string, string>;
}
/** endpointSliceSource is an EndpointSlice's target group source: endpointslice/<namespace>/<name>. */
export function endpointSliceSource(namespace: string, name: string): string {
  return `endpointslice/${namespace}/${name}`;
}

/** endpointSliceNodeNames are the nodes an EndpointSlice is indexed by (Prometheus's nodeIndex). */
export function endpointSliceNodeNames(eps: KubeObject): string[] {
  return nodeIndexOf((eps as { endpoints?: SliceEndpoint[] }).endpoints ?? []);
}

/** buildEndpointSlice is an EndpointSlice's target group (Prometheus's buildEndpointSlice), empty for the non-primary IP family of a dual-stack service. */
export function buildEndpointSlice(eps: KubeObject, ctx: RoleContext): TargetGroup {
  const ns = eps.metadata?.namespace ?? '';
  const slice = eps as { addressType?: string; endpoints?: SliceEndpoint[]; ports?: SlicePort[] };
  let labels: LabelSet = { [NAMESPACE_LABEL]: ns, [`${S}address_type`]: slice.addressType ?? '' };
  addObjectMetaLabels(labels, eps.metadata, 'endpointslice');
  const svcName = eps.metadata?.labels?.[SERVICE_NAME_LABEL];
  const svc = svcName !== undefined ? ctx.get('Service', `${ns}/${svcName}`) : undefined;
  if (svc) labels = { ...labels, ...serviceLabels(svc) };
  if (ctx.attach.namespace) labels = ctx.withNamespaceLabels(labels, ns);
  const source = endpointSliceSource(ns, eps.metadata?.name ?? '');
  const svcSpec = (svc?.spec ?? {}) as { ipFamilyPolicy?: string; ipFamilies?: string[] };
  if (svc && (svcSpec.ipFamilyPolicy === 'PreferDualStack' || svcSpec.ipFamilyPolicy === 'RequireDualStack') && (svcSpec.ipFamilies ?? []).length > 0 && slice.addressType !== svcSpec.ipFamilies![0]) {
    return { source, targets: [], labels };
  }
  const targets: LabelSet[] = [];
  const seenPods = new Map<string, { pod: KubeObject; ports: SlicePort[] }>();
  const add = (addr: string, ep: SliceEndpoint, port: SlicePort): void => {
    let t: LabelSet = { __address__: port.port !== undefined ? joinHostPort(addr, port.port) : addr };
    if (port.name !== undefined) t[`${S}port_name`] = port.name;
    if (port.protocol !== undefined) t[`${S}port_protocol`] = port.protocol;
    if (port.port !== undefined) t[`${S}port`] = String(port.port);
    if (port.appProtocol !== undefined) t[`${S}port_app_protocol`] = port.appProtocol;
    if (ep.conditions?.ready !== undefined) t[`${S}endpoint_conditions_ready`] = String(ep.conditions.ready);
    if (ep.conditions?.serving !== undefined) t[`${S}endpoint_conditions_serving`] = String(ep.conditions.serving);
    if (ep.conditions?.terminating !== undefined) t[`${S}endpoint_conditions_terminating`] = String(ep.conditions.terminating);
    if (ep.hostname !== undefined) t[`${S}endpoint_hostname`] = ep.hostname;
    if (ep.targetRef !== undefined) {
      t[`${S}address_target_kind`] = ep.targetRef.kind ?? '';
      t[`${S}address_target_name`] = ep.targetRef.name ?? '';
    }
    if (ep.nodeName !== undefined) t[`${S}endpoint_node_name`] = ep.nodeName;
    if (ep.zone !== undefined) t[`${S}endpoint_zone`] = ep.zone;
    for (const [k, v] of Object.entries(ep.deprecatedTopology ?? {})) {
      const ln = sanitizeLabelName(k);
      t[`${S}endpoint_topology_${ln}`] = v;
      t[`${S}endpoint_topology_present_${ln}`] = 'true';
    }
    if (ctx.attach.node) t = ctx.withNodeLabels(t, ep.targetRef?.kind === 'Node' ? ep.targetRef.name : ep.nodeName);
    const pod = ep.targetRef?.kind === 'Pod' ? ctx.get('Pod', `${ep.targetRef.namespace ?? ''}/${ep.targetRef.name ?? ''}`) : undefined;
    if (!pod) {
      targets.push(t);
      return;
    }
    const key = `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
    let seen = seenPods.get(key);
    if (!seen) seenPods.set(key, (seen = { pod, ports: [] }));
    t = { ...t, ...podLabels(pod, ctx) };
    if (port.port !== undefined) setContainerPortLabels(t, pod, port.port, (cp) => cp);
    seen.ports.push(port);
    targets.push(t);
  };
  for (const ep of slice.endpoints ?? []) for (const port of slice.ports ?? []) for (const addr of ep.addresses ?? []) add(addr, ep, port);
  for (const { pod, ports } of seenPods.values()) targets.push(...uncoveredPortTargets(pod, ports.filter((p) => p.port !== undefined).map((p) => p.port!), ctx));
  return { source, targets, labels };
}
