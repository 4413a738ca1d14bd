/** ObjectMeta is the part of a Kubernetes object's metadata discovery reads. */
export interface ObjectMeta {
  readonly name?: string;
  readonly namespace?: string;
  readonly uid?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly ownerReferences?: readonly { readonly kind?: string; readonly name?: string; readonly controller?: boolean }[];
}

/** KubeObject is any Kubernetes object as JSON (kind-specific fields are read where needed). */
export interface KubeObject {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: ObjectMeta;
  readonly spec?: Record<string, unknown>;
  readonly status?: Record<string, unknown>;
  readonly [field: string]: unknown;
}

/** KubeKind is an object kind discovery watches. */
export type KubeKind = 'Pod' | 'Node' | 'Namespace' | 'Service' | 'Ingress' | 'ReplicaSet' | 'Job' | 'Endpoints' | 'EndpointSlice';

/** KIND_RESOURCES maps each watched kind to its API path segments: group path, plural, namespaced. */
export const KIND_RESOURCES: Readonly<Record<KubeKind, { readonly group: string; readonly plural: string; readonly namespaced: boolean }>> = {
  Pod: { group: '/api/v1', plural: 'pods', namespaced: true },
  Node: { group: '/api/v1', plural: 'nodes', namespaced: false },
  Namespace: { group: '/api/v1', plural: 'namespaces', namespaced: false },
  Service: { group: '/api/v1', plural: 'services', namespaced: true },
  Endpoints: { group: '/api/v1', plural: 'endpoints', namespaced: true },
  Ingress: { group: '/apis/networking.k8s.io/v1', plural: 'ingresses', namespaced: true },
  EndpointSlice: { group: '/apis/discovery.k8s.io/v1', plural: 'endpointslices', namespaced: true },
  ReplicaSet: { group: '/apis/apps/v1', plural: 'replicasets', namespaced: true },
  Job: { group: '/apis/batch/v1', plural: 'jobs', namespaced: true },
};

/** objectKey is the informer key of an object: namespace/name, or name for cluster-scoped objects. */
export function objectKey(o: KubeObject): string {
  const ns = o.metadata?.namespace ?? '';
  return ns === '' ? (o.metadata?.name ?? '') : `${ns}/${o.metadata?.name ?? ''}`;
}

/** controllerOf returns the owner reference marked controller: true (Kubernetes' GetControllerOf), or undefined. */
export function controllerOf(o: KubeObject): { kind?: string; name?: string } | undefined {
  return o.metadata?.ownerReferences?.find((r) => r.controller === true);
}
