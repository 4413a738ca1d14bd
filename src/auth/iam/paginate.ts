import type { QueryParams } from './params.js';
import { el } from './xml.js';

/** Page is one page of a listing with IAM's IsTruncated/Marker. */
export interface Page<T> {
  items: T[];
  /** marker is set when more items follow. */
  marker?: string;
}

/** paginate sorts items by key and returns the page after Marker (opaque: base64url of the last key), MaxItems long (default 100, 1..1000). */
export function paginate<T>(items: readonly T[], key: (item: T) => string, params: QueryParams): Page<T> {
  const max = params.int('MaxItems', 1, 1000) ?? 100;
  const markerParam = params.optional('Marker');
  const after = markerParam === undefined ? undefined : Buffer.from(markerParam, 'base64url').toString('utf8');
  const sorted = items.map((item) => ({ item, k: key(item) })).sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
  const rest = after === undefined ? sorted : sorted.filter((e) => e.k > after);
  const page = rest.slice(0, max);
  const out: Page<T> = { items: page.map((e) => e.item) };
  if (rest.length > max) out.marker = Buffer.from(page[page.length - 1]!.k, 'utf8').toString('base64url');
  return out;
}

/** pageTail renders <IsTruncated> and, when truncated, <Marker>. */
export function pageTail(page: Page<unknown>): string {
  return el('IsTruncated', page.marker !== undefined) + el('Marker', page.marker);
}
