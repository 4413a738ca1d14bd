import { emptyGroup, type LabelSet, type TargetGroup } from '../target-group.js';
import { addObjectMetaLabels, joinHostPort, META_PREFIX, NAMESPACE_LABEL } from './meta-labels.js';
import { controllerOf, type KubeObject } from './objects.js';
import type { RoleContext } from './role-context.js';
import { containersOf } from './pod-ports.js';

interface ContainerStatus {
  name?: string;
  containerID?: string;
}

const P = `${META_PREFIX}pod_`;

/** podSource is a pod's target group source: pod/<namespace>/<name>. */
export function podSource(namespace: string, name: string): string {
  return `pod/${namespace}/${name}`;
}

/** podLabels are the group labels of a pod (Prometheus's podLabels), attached controller, deployment, job and cronjob included. */
export function podLabels(pod: KubeObject, ctx: RoleContext): LabelSet {
  const status = (pod.status ?? {}) as { podIP?: string; phase?: string; hostIP?: string; conditions?: { type?: string; status?: string }[] };
  const spec = (pod.spec ?? {}) as { nodeName?: string };
  const ready = status.conditions?.find((c) => c.type === 'Ready');
  const ls: LabelSet = {
    [`${P}ip`]: status.podIP ?? '',
    [`${P}ready`]: (ready?.status ?? 'Unknown').toLowerCase(),
    [`${P}phase`]: status.phase ?? '',
    [`${P}node_name`]: spec.nodeName ?? '',
    [`${P}host_ip`]: status.hostIP ?? '',
    [`${P}uid`]: pod.metadata?.uid ?? '',
  };
  addObjectMetaLabels(ls, pod.metadata, 'pod');
  const owner = controllerOf(pod);
  if (owner) {
    if (owner.kind) ls[`${P}controller_kind`] = owner.kind;
    if (owner.name) ls[`${P}controller_name`] = owner.name;
    const ns = pod.metadata?.namespace ?? '';
    if (owner.kind === 'ReplicaSet' && ctx.attach.deployment) {
      const rs = ctx.get('ReplicaSet', `${ns}/${owner.name ?? ''}`);
      const rsOwner = rs ? controllerOf(rs) : undefined;
      if (rsOwner?.kind === 'Deployment') ls[`${P}deployment_name`] = rsOwner.name ?? '';
    }
    if (owner.kind === 'Job') {
      if (ctx.attach.job) ls[`${P}job_name`] = owner.name ?? '';
      if (ctx.attach.cronjob) {
        const job = ctx.get('Job', `${ns}/${owner.name ?? ''}`);
        const jobOwner = job ? controllerOf(job) : undefined;
        if (jobOwner?.kind === 'CronJob') ls[`${P}cronjob_name`] = jobOwner.name ?? '';
      }
    }
  }
  return ls;
}

/** buildPod is the target group of a pod: one target per container port, or per container without ports (Prometheus's buildPod). */
export function buildPod(pod: KubeObject, ctx: RoleContext): TargetGroup {
  const ns = pod.metadata?.namespace ?? '';
  const source = podSource(ns, pod.metadata?.name ?? '');
  const status = (pod.status ?? {}) as { podIP?: string; containerStatuses?: ContainerStatus[]; initContainerStatuses?: ContainerStatus[] };
  const spec = (pod.spec ?? {}) as { nodeName?: string };
  const ip = status.podIP ?? '';
  if (ip === '') return emptyGroup(source);
  if (ctx.attach.node && !ctx.get('Node', spec.nodeName ?? '')) return emptyGroup(source);
  let labels = podLabels(pod, ctx);
  labels[NAMESPACE_LABEL] = ns;
  if (ctx.attach.node) labels = ctx.withNodeLabels(labels, spec.nodeName);
  if (ctx.attach.namespace) labels = ctx.withNamespaceLabels(labels, ns);
  const targets: LabelSet[] = [];
  for (const { c, init } of containersOf(pod)) {
    const statuses = (init ? status.initContainerStatuses : status.containerStatuses) ?? [];
    const id = statuses.find((s) => s.name === c.name)?.containerID ?? '';
    const base: LabelSet = { [`${P}container_name`]: c.name ?? '', [`${P}container_id`]: id, [`${P}container_image`]: c.image ?? '', [`${P}container_init`]: String(init) };
    if (!c.ports || c.ports.length === 0) {
      targets.push({ __address__: ip, ...base });
      continue;
    }
    for (const port of c.ports) {
      const num = String(port.containerPort ?? 0);
      targets.push({ __address__: joinHostPort(ip, num), ...base, [`${P}container_port_number`]: num, [`${P}container_port_name`]: port.name ?? '', [`${P}container_port_protocol`]: port.protocol ?? '' });
    }
  }
  return { source, targets, labels };
}
