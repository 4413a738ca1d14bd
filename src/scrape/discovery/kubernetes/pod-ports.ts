import type { LabelSet } from '../target-group.js';
import { joinHostPort, META_PREFIX } from './meta-labels.js';
import type { KubeObject } from './objects.js';
import type { RoleContext } from './role-context.js';
import { podLabels } from './role-pod.js';

const P = `${META_PREFIX}pod_`;

interface Container {
  name?: string;
  image?: string;
  ports?: { name?: string; containerPort?: number; protocol?: string }[];
}

/** EndpointRef is an endpoint address's targetRef and nodeName, as Endpoints and EndpointSlices carry them. */
export interface EndpointRef {
  readonly nodeName?: string;
  readonly targetRef?: { readonly kind?: string; readonly name?: string; readonly namespace?: string };
}

/** containersOf lists a pod's containers then its init containers. */
export function containersOf(pod: KubeObject): { c: Container; init: boolean }[] {
  const spec = (pod.spec ?? {}) as { containers?: Container[]; initContainers?: Container[] };
  return [...(spec.containers ?? []).map((c) => ({ c, init: false })), ...(spec.initContainers ?? []).map((c) => ({ c, init: true }))];
}

/** nodeIndexOf lists the nodes endpoints are indexed by (Prometheus's nodeIndex: a pod target's nodeName, or a Node target). */
export function nodeIndexOf(refs: readonly EndpointRef[]): string[] {
  const out: string[] = [];
  for (const r of refs) {
    if (r.targetRef?.kind === 'Pod' && r.nodeName !== undefined) out.push(r.nodeName);
    else if (r.targetRef?.kind === 'Node') out.push(r.targetRef.name ?? '');
  }
  return out;
}

/** setContainerPortLabels sets the container labels of the first container port equal to `port` (protocol from `protocol`). */
export function setContainerPortLabels(t: LabelSet, pod: KubeObject, port: number, protocol: (cportProtocol: string) => string): void {
  for (const { c, init } of containersOf(pod)) {
    for (const cport of c.ports ?? []) {
      if (port !== (cport.containerPort ?? 0)) continue;
      t[`${P}container_name`] = c.name ?? '';
      t[`${P}container_image`] = c.image ?? '';
      t[`${P}container_port_name`] = cport.name ?? '';
      t[`${P}container_port_number`] = String(port);
      t[`${P}container_port_protocol`] = protocol(cport.protocol ?? '');
      t[`${P}container_init`] = String(init);
      return;
    }
  }
}

/** uncoveredPortTargets are the targets of a pod's container ports no endpoint port covered (Prometheus adds them to endpoints groups). */
export function uncoveredPortTargets(pod: KubeObject, covered: readonly number[], ctx: RoleContext): LabelSet[] {
  const ip = ((pod.status ?? {}) as { podIP?: string }).podIP ?? '';
  if (ip === '') return [];
  const out: LabelSet[] = [];
  for (const { c, init } of containersOf(pod)) {
    for (const cport of c.ports ?? []) {
      if (covered.includes(cport.containerPort ?? 0)) continue;
      const num = String(cport.containerPort ?? 0);
      out.push({
        __address__: joinHostPort(ip, num),
        [`${P}container_name`]: c.name ?? '',
        [`${P}container_image`]: c.image ?? '',
        [`${P}container_port_name`]: cport.name ?? '',
        [`${P}container_port_number`]: num,
        [`${P}container_port_protocol`]: cport.protocol ?? '',
        [`${P}container_init`]: String(init),
        ...podLabels(pod, ctx),
      });
    }
  }
  return out;
}
