import type { ExemplarSource } from '../storage/exemplars.js';
import type { MetadataSource, MetricMetadataEntry } from '../storage/metadata.js';
import type { ExemplarStore } from '../remote/exemplar-store.js';
import type { MetadataStore } from '../remote/metadata-store.js';

/** metadataSource serves the query API's /metadata from the remote-write metadata store. */
export function metadataSource(store: MetadataStore): MetadataSource {
  return {
    *list(workspaceId: string, metric?: string): Iterable<MetricMetadataEntry> {
      for (const [family, entries] of Object.entries(store.query(workspaceId, metric))) {
        for (const md of entries) yield { metric: family, type: md.type, help: md.help, unit: md.unit };
      }
    },
  };
}

/** exemplarSource serves the query API's /query_exemplars from the remote-write exemplar store. */
export function exemplarSource(store: ExemplarStore): ExemplarSource {
  return { select: (workspaceId, start, end, matcherSets) => store.query(workspaceId, start, end, matcherSets) };
}
