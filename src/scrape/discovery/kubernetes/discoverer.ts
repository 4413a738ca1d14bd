import { emptyGroup, type TargetGroup } from '../target-group.js';
import { controllerOf, objectKey, type KubeKind, type KubeObject } from './objects.js';
import { buildEndpoints, endpointsNodeNames, endpointsPodKeys, endpointsSource } from './role-endpoints.js';
import { buildEndpointSlice, endpointSliceNodeNames, endpointSliceSource, SERVICE_NAME_LABEL } from './role-endpointslice.js';
import { buildIngress } from './role-ingress.js';
import { buildNode } from './role-node.js';
import { buildPod } from './role-pod.js';
import { buildService } from './role-service.js';
import { storeContext, type AttachMetadata, type RoleContext } from './role-context.js';
import { matchesFieldSelector, matchesLabelSelector } from './selectors.js';

/** KubeRole is a kubernetes_sd_config role. */
export type KubeRole = 'node' | 'pod' | 'service' | 'endpoints' | 'endpointslice' | 'ingress';

/** DiscovererConfig is a resolved kubernetes_sd_config: role, namespaces ([] = all), selectors and attach_metadata. */
export interface DiscovererConfig {
  readonly role: KubeRole;
  readonly namespaces: readonly string[];
  readonly selectors: readonly { readonly role: string; readonly label?: string; readonly field?: string }[];
  readonly attach: AttachMetadata;
}

/** WatchSpec is one informer a role needs: a kind, the namespaces to list ([''] = all or cluster-scoped) and its selectors. */
export interface WatchSpec {
  readonly kind: KubeKind;
  readonly namespaces: readonly string[];
  readonly labelSelector: string;
  readonly fieldSelector: string;
}

/** UnsupportedRoleError says a role is not implemented by Amphora's discovery yet. */
export class UnsupportedRoleError extends Error {
  override name = 'UnsupportedRoleError';
}

const SELECTOR_ROLE: Partial<Record<KubeKind, string>> = { Pod: 'pod', Node: 'node', Service: 'service', Ingress: 'ingress', Endpoints: 'endpoints', EndpointSlice: 'endpointslice' };
const PRIMARY: Record<KubeRole, KubeKind> = { node: 'Node', pod: 'Pod', service: 'Service', endpoints: 'Endpoints', endpointslice: 'EndpointSlice', ingress: 'Ingress' };

/**
 * KubeDiscoverer turns Kubernetes objects into target groups as Prometheus's kubernetes discovery does: it
 * keeps one store per watched kind (what its informers would hold) and, for each add/update/delete, emits
 * the groups of the objects that change (a deleted object's source gets an empty group). It does no I/O:
 * the list/watch client feeds it.
 */
export class KubeDiscoverer {
  private readonly stores = new Map<KubeKind, Map<string, KubeObject>>();
  private readonly ctx: RoleContext;
  private readonly primary: KubeKind;

  constructor(private readonly cfg: DiscovererConfig) {
    this.primary = PRIMARY[cfg.role];
    for (const w of this.watches()) this.stores.set(w.kind, new Map());
    this.ctx = storeContext(cfg.attach, this.stores);
  }

  /** watches lists the informers this role needs. */
  watches(): WatchSpec[] {
    const a = this.cfg.attach;
    const kinds: KubeKind[] = [this.primary];
    if (this.cfg.role === 'endpoints' || this.cfg.role === 'endpointslice') kinds.push('Service', 'Pod');
    if (this.cfg.role !== 'node' && this.cfg.role !== 'service' && this.cfg.role !== 'ingress') {
      if (a.node) kinds.push('Node');
      if (a.deployment) kinds.push('ReplicaSet');
      if (a.job || a.cronjob) kinds.push('Job');
    }
    if (a.namespace && this.cfg.role !== 'node') kinds.push('Namespace');
    return kinds.map((kind) => {
      const sel = this.cfg.selectors.filter((s) => s.role === SELECTOR_ROLE[kind]);
      const clusterScoped = kind === 'Node' || kind === 'Namespace';
      return {
        kind,
        namespaces: clusterScoped || this.cfg.namespaces.length === 0 ? [''] : [...this.cfg.namespaces],
        labelSelector: sel.map((s) => s.label ?? '').filter((s) => s !== '').join(','),
        fieldSelector: sel.map((s) => s.field ?? '').filter((s) => s !== '').join(','),
      };
    });
  }

  /** accepts tells whether an informer of this discoverer would hold an object (kind watched, namespace and selectors match). */
  accepts(o: KubeObject): boolean {
    const w = this.watches().find((x) => x.kind === o.kind);
    if (!w) return false;
    if (w.namespaces[0] !== '' && !w.namespaces.includes(o.metadata?.namespace ?? '')) return false;
    return matchesLabelSelector(o, w.labelSelector) && matchesFieldSelector(o, w.fieldSelector);
  }

  /** replace sets an informer's store to a LIST result (objects it does not accept are ignored). */
  replace(kind: KubeKind, objects: readonly KubeObject[]): void {
    const store = this.stores.get(kind);
    if (!store) return;
    store.clear();
    for (const o of objects) if (this.accepts({ ...o, kind })) store.set(objectKey(o), o);
  }

  /** sync emits the groups of every primary object (once the initial lists are in). */
  sync(): TargetGroup[] {
    return [...this.stores.get(this.primary)!.values()].map((o) => this.build(o)).filter((g): g is TargetGroup => g !== null);
  }

  /** apply applies one watch event and returns the groups it changes. */
  apply(op: 'add' | 'update' | 'delete', o: KubeObject): TargetGroup[] {
    const kind = o.kind as KubeKind;
    const store = this.stores.get(kind);
    if (!store || (op !== 'delete' && !this.accepts(o))) return [];
    const key = objectKey(o);
    const old = store.get(key);
    if (op === 'delete') store.delete(key);
    else store.set(key, o);
    if (kind === this.primary) {
      const cur = store.get(key);
      if (!cur) return [emptyGroup(this.sourceOf(o))];
      const g = this.build(cur);
      return g ? [g] : [];
    }
    const ns = o.metadata?.namespace ?? '';
    const name = o.metadata?.name ?? '';
    let affected: (p: KubeObject) => boolean;
    if (this.cfg.role === 'endpoints' || this.cfg.role === 'endpointslice') {
      // Prometheus's handlers: services by name (endpoints) or by the service-name label (slices); pods only on a phase
      // change and only for endpoints; nodes through the node index; namespaces on update.
      const slices = this.cfg.role === 'endpointslice';
      const phase = (x: KubeObject | undefined): string | undefined => ((x?.status ?? {}) as { phase?: string }).phase;
      switch (kind) {
        case 'Service':
          affected = (e) => e.metadata?.namespace === ns && (slices ? e.metadata?.labels?.[SERVICE_NAME_LABEL] : e.metadata?.name) === name;
          break;
        case 'Pod':
          if (slices || op !== 'update' || !old || phase(old) === phase(o)) return [];
          affected = (e) => endpointsPodKeys(e).includes(`${ns}/${name}`);
          break;
        case 'Node':
          affected = (e) => (slices ? endpointSliceNodeNames(e) : endpointsNodeNames(e)).includes(name);
          break;
        case 'Namespace':
          if (op !== 'update') return [];
          affected = (e) => e.metadata?.namespace === name;
          break;
        default:
          return [];
      }
      return [...this.stores.get(this.primary)!.values()].filter(affected).map((e) => this.build(e)).filter((g): g is TargetGroup => g !== null);
    }
    switch (kind) {
      case 'Node':
        affected = (p) => ((p.spec ?? {}) as { nodeName?: string }).nodeName === name;
        break;
      case 'Namespace':
        if (op !== 'update') return [];
        affected = (p) => p.metadata?.namespace === name;
        break;
      case 'ReplicaSet':
      case 'Job':
        affected = (p) => {
          const c = controllerOf(p);
          return c?.kind === kind && p.metadata?.namespace === ns && c.name === name;
        };
        break;
      default:
        return [];
    }
    return [...this.stores.get(this.primary)!.values()].filter(affected).map((p) => this.build(p)).filter((g): g is TargetGroup => g !== null);
  }

  private sourceOf(o: KubeObject): string {
    const ns = o.metadata?.namespace ?? '';
    const name = o.metadata?.name ?? '';
    switch (this.cfg.role) {
      case 'pod':
        return `pod/${ns}/${name}`;
      case 'node':
        return `node/${name}`;
      case 'service':
        return `svc/${ns}/${name}`;
      case 'ingress':
        return `ingress/${ns}/${name}`;
      case 'endpoints':
        return endpointsSource(ns, name);
      case 'endpointslice':
        return endpointSliceSource(ns, name);
      default:
        throw new UnsupportedRoleError(`role ${this.cfg.role}`);
    }
  }

  private build(o: KubeObject): TargetGroup | null {
    switch (this.cfg.role) {
      case 'pod':
        return buildPod(o, this.ctx);
      case 'node':
        return buildNode(o);
      case 'service':
        return buildService(o, this.ctx);
      case 'ingress':
        return buildIngress(o, this.ctx);
      case 'endpoints':
        return buildEndpoints(o, this.ctx);
      case 'endpointslice':
        return buildEndpointSlice(o, this.ctx);
      default:
        throw new UnsupportedRoleError(`role ${this.cfg.role}`);
    }
  }
}
