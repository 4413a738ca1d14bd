import type { LabelSet, TargetGroup } from '../target-group.js';
import { addObjectMetaLabels, joinHostPort, META_PREFIX, NAMESPACE_LABEL } from './meta-labels.js';
import type { KubeObject } from './objects.js';
import type { RoleContext } from './role-context.js';

const S = `${META_PREFIX}service_`;

/** serviceSource is a service's target group source: svc/<namespace>/<name>. */
export function serviceSource(namespace: string, name: string): string {
  return `svc/${namespace}/${name}`;
}

/** serviceLabels are a service's group labels (namespace, name, labels, annotations). */
export function serviceLabels(svc: KubeObject): LabelSet {
  const ls: LabelSet = { [NAMESPACE_LABEL]: svc.metadata?.namespace ?? '' };
  addObjectMetaLabels(ls, svc.metadata, 'service');
  return ls;
}

/** buildService is a service's target group: one target per port at <name>.<namespace>.svc:<port>. */
export function buildService(svc: KubeObject, ctx: RoleContext): TargetGroup {
  const ns = svc.metadata?.namespace ?? '';
  const name = svc.metadata?.name ?? '';
  const spec = (svc.spec ?? {}) as { ports?: { name?: string; port?: number; protocol?: string }[]; type?: string; externalName?: string; clusterIP?: string; loadBalancerIP?: string };
  const status = (svc.status ?? {}) as { loadBalancer?: { ingress?: { ip?: string }[] } };
  let labels = serviceLabels(svc);
  if (ctx.attach.namespace) labels = ctx.withNamespaceLabels(labels, ns);
  const targets = (spec.ports ?? []).map((port) => {
    const num = String(port.port ?? 0);
    const t: LabelSet = { __address__: joinHostPort(`${name}.${ns}.svc`, num), [`${S}port_name`]: port.name ?? '', [`${S}port_number`]: num, [`${S}port_protocol`]: port.protocol ?? '', [`${S}type`]: spec.type ?? '' };
    if (spec.type === 'ExternalName') t[`${S}external_name`] = spec.externalName ?? '';
    else t[`${S}cluster_ip`] = spec.clusterIP ?? '';
    if (spec.type === 'LoadBalancer') {
      const ips = (status.loadBalancer?.ingress ?? []).map((i) => i.ip ?? '').filter((ip) => ip !== '');
      t[`${S}loadbalancer_ip`] = ips.length > 0 ? ips.join(',') : (spec.loadBalancerIP ?? '');
    }
    return t;
  });
  return { source: serviceSource(ns, name), targets, labels };
}
