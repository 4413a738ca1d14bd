import type { MetadataAppender, MetricMetadata, MetricType } from '../storage/metadata.js';

const TYPES_BY_PROTO: readonly MetricType[] = ['unknown', 'counter', 'gauge', 'histogram', 'gaugehistogram', 'summary', 'info', 'stateset'];

/** metricTypeFromProto maps the remote-write enum (1.0 MetricMetadata.MetricType and 2.0 Metadata.MetricType share numbers). */
export function metricTypeFromProto(n: number): MetricType {
  return TYPES_BY_PROTO[n] ?? 'unknown';
}

/** MetadataStoreOptions bound the store per workspace. */
export interface MetadataStoreOptions {
  /** maxMetricsPerWorkspace caps metric families per workspace; new ones beyond it are refused. */
  maxMetricsPerWorkspace: number;
  /** maxEntriesPerMetric caps distinct entries per family; the oldest is dropped. */
  maxEntriesPerMetric: number;
}

/** defaultMetadataStoreOptions returns the bounds: 20,000 families per workspace, 10 distinct entries each. */
export function defaultMetadataStoreOptions(): MetadataStoreOptions {
  return { maxMetricsPerWorkspace: 20_000, maxEntriesPerMetric: 10 };
}

/**
 * MetadataStore keeps the metric metadata that remote-write senders send, per workspace,
 * shaped for Prometheus's /api/v1/metadata (family name -> distinct {type, help, unit}).
 */
export class MetadataStore implements MetadataAppender {
  private readonly ws = new Map<string, Map<string, MetricMetadata[]>>();
  private readonly opts: MetadataStoreOptions;

  constructor(opts: Partial<MetadataStoreOptions> = {}) {
    this.opts = { ...defaultMetadataStoreOptions(), ...opts };
  }

  /** set records metadata for a family; the latest entry moves last. Returns false when the workspace's family cap refuses it. */
  set(workspace: string, family: string, md: MetricMetadata): boolean {
    let fams = this.ws.get(workspace);
    if (fams === undefined) {
      fams = new Map();
      this.ws.set(workspace, fams);
    }
    const list = fams.get(family);
    if (list === undefined) {
      if (fams.size >= this.opts.maxMetricsPerWorkspace) return false;
      fams.set(family, [md]);
      return true;
    }
    const last = list[list.length - 1]!;
    if (last.type === md.type && last.help === md.help && last.unit === md.unit) return true;
    const i = list.findIndex((e) => e.type === md.type && e.help === md.help && e.unit === md.unit);
    if (i >= 0) list.splice(i, 1);
    list.push(md);
    if (list.length > this.opts.maxEntriesPerMetric) list.shift();
    return true;
  }

  /**
   * query returns metadata as /api/v1/metadata does: families sorted by name (or just `metric`),
   * at most limit families and limitPerMetric entries each (<= 0 or absent: no limit).
   */
  query(workspace: string, metric?: string, limit?: number, limitPerMetric?: number): Record<string, MetricMetadata[]> {
    const out: Record<string, MetricMetadata[]> = {};
    const fams = this.ws.get(workspace);
    if (fams === undefined) return out;
    const names = metric !== undefined && metric !== '' ? (fams.has(metric) ? [metric] : []) : [...fams.keys()].sort();
    let n = 0;
    for (const name of names) {
      if (limit !== undefined && limit > 0 && n >= limit) break;
      const list = fams.get(name)!;
      const newestFirst = [...list].reverse();
      out[name] = limitPerMetric !== undefined && limitPerMetric > 0 ? newestFirst.slice(0, limitPerMetric) : newestFirst;
      n++;
    }
    return out;
  }

  /** deleteWorkspace forgets a workspace's metadata. */
  deleteWorkspace(workspace: string): void {
    this.ws.delete(workspace);
  }
}
