import type { LabelSet } from '../target-group.js';
import type { ObjectMeta } from './objects.js';

/** META_PREFIX is the prefix of every Kubernetes meta label. */
export const META_PREFIX = '__meta_kubernetes_';
/** NAMESPACE_LABEL is __meta_kubernetes_namespace. */
export const NAMESPACE_LABEL = `${META_PREFIX}namespace`;

/** sanitizeLabelName replaces every character not valid in a label name with '_' (Prometheus's strutil.SanitizeLabelName). */
export function sanitizeLabelName(name: string): string {
  return name.replace(/[^a-zA-Z0-9_]/g, '_');
}

/** addLabelsAndAnnotations sets <resource>_label_*, _labelpresent_*, _annotation_* and _annotationpresent_* from an object's metadata. */
export function addLabelsAndAnnotations(ls: LabelSet, meta: ObjectMeta | undefined, resource: string): void {
  for (const [k, v] of Object.entries(meta?.labels ?? {})) {
    const ln = sanitizeLabelName(k);
    ls[`${META_PREFIX}${resource}_label_${ln}`] = v;
    ls[`${META_PREFIX}${resource}_labelpresent_${ln}`] = 'true';
  }
  for (const [k, v] of Object.entries(meta?.annotations ?? {})) {
    const ln = sanitizeLabelName(k);
    ls[`${META_PREFIX}${resource}_annotation_${ln}`] = v;
    ls[`${META_PREFIX}${resource}_annotationpresent_${ln}`] = 'true';
  }
}

/** addObjectMetaLabels sets <role>_name and the label/annotation labels of an object. */
export function addObjectMetaLabels(ls: LabelSet, meta: ObjectMeta | undefined, role: string): void {
  ls[`${META_PREFIX}${role}_name`] = meta?.name ?? '';
  addLabelsAndAnnotations(ls, meta, role);
}

/** joinHostPort joins a host and a port as Go's net.JoinHostPort (IPv6 hosts in brackets). */
export function joinHostPort(host: string, port: string | number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
