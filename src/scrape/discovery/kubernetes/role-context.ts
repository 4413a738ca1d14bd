import type { LabelSet } from '../target-group.js';
import { addLabelsAndAnnotations, addObjectMetaLabels } from './meta-labels.js';
import type { KubeKind, KubeObject } from './objects.js';

/** AttachMetadata is kubernetes_sd_config's attach_metadata. */
export interface AttachMetadata {
  readonly node: boolean;
  readonly namespace: boolean;
  readonly deployment: boolean;
  readonly job: boolean;
  readonly cronjob: boolean;
}

/** RoleContext is what a role's builder reads besides its object: the informer stores and attach_metadata. */
export interface RoleContext {
  readonly attach: AttachMetadata;
  /** get returns an object of a kind by its informer key (namespace/name, or name), or undefined. */
  get(kind: KubeKind, key: string): KubeObject | undefined;
  /** withNodeLabels merges a node's name, label and annotation labels (when the node is known). */
  withNodeLabels(ls: LabelSet, nodeName: string | undefined): LabelSet;
  /** withNamespaceLabels merges a namespace's label and annotation labels (when the namespace is known). */
  withNamespaceLabels(ls: LabelSet, namespace: string): LabelSet;
}

/** storeContext builds a RoleContext over informer stores. */
export function storeContext(attach: AttachMetadata, stores: ReadonlyMap<KubeKind, ReadonlyMap<string, KubeObject>>): RoleContext {
  const get = (kind: KubeKind, key: string): KubeObject | undefined => stores.get(kind)?.get(key);
  return {
    attach,
    get,
    withNodeLabels: (ls, nodeName) => {
      if (nodeName === undefined) return ls;
      const node = get('Node', nodeName);
      if (!node) return ls;
      const extra: LabelSet = {};
      addObjectMetaLabels(extra, node.metadata, 'node');
      return { ...ls, ...extra };
    },
    withNamespaceLabels: (ls, namespace) => {
      const n = get('Namespace', namespace);
      if (!n) return ls;
      const extra: LabelSet = {};
      addLabelsAndAnnotations(extra, n.metadata, 'namespace');
      return { ...ls, ...extra };
    },
  };
}
