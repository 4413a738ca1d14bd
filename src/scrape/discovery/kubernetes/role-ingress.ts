import type { LabelSet, TargetGroup } from '../target-group.js';
import { addObjectMetaLabels, META_PREFIX, NAMESPACE_LABEL } from './meta-labels.js';
import type { KubeObject } from './objects.js';
import type { RoleContext } from './role-context.js';

const I = `${META_PREFIX}ingress_`;

/** ingressSource is an ingress's target group source: ingress/<namespace>/<name>. */
export function ingressSource(namespace: string, name: string): string {
  return `ingress/${namespace}/${name}`;
}

/** matchesHostnamePattern tells whether a TLS host pattern (exact, or `*.suffix` of the same depth) covers a host. */
function matchesHostnamePattern(pattern: string, host: string): boolean {
  if (pattern === host) return true;
  const p = pattern.split('.');
  const h = host.split('.');
  if (p[0] !== '*' || p.length !== h.length) return false;
  for (let i = 1; i < p.length; i++) if (p[i] !== h[i]) return false;
  return true;
}

interface IngressSpec {
  ingressClassName?: string;
  tls?: { hosts?: string[] }[];
  rules?: { host?: string; http?: { paths?: { path?: string }[] } }[];
}

/** buildIngress is an ingress's target group: one target per rule and path, https when a TLS host covers the rule's host. */
export function buildIngress(ing: KubeObject, ctx: RoleContext): TargetGroup {
  const ns = ing.metadata?.namespace ?? '';
  const spec = (ing.spec ?? {}) as IngressSpec;
  let labels: LabelSet = { [NAMESPACE_LABEL]: ns };
  if (spec.ingressClassName !== undefined) labels[`${I}class_name`] = spec.ingressClassName;
  addObjectMetaLabels(labels, ing.metadata, 'ingress');
  if (ctx.attach.namespace) labels = ctx.withNamespaceLabels(labels, ns);
  const tlsHosts = (spec.tls ?? []).flatMap((t) => t.hosts ?? []);
  const targets: LabelSet[] = [];
  for (const rule of spec.rules ?? []) {
    const host = rule.host ?? '';
    const scheme = tlsHosts.some((p) => matchesHostnamePattern(p, host)) ? 'https' : 'http';
    const paths = rule.http === undefined ? ['/'] : (rule.http.paths ?? []).map((p) => (p.path === undefined || p.path === '' ? '/' : p.path));
    for (const path of paths) targets.push({ __address__: host, [`${I}scheme`]: scheme, [`${I}host`]: host, [`${I}path`]: path });
  }
  return { source: ingressSource(ns, ing.metadata?.name ?? ''), targets, labels };
}
