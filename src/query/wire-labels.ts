import type { Labels } from '../model/labels.js';

// A query worker decodes the label sets of every selected head series afresh for each query
// (ten short strings and five objects per node_exporter series). The same series come back
// query after query with the same wire bytes, so the decoded set is kept, keyed by those
// bytes: one string and one map lookup per series instead. Label sets are never mutated by
// readers (the head shares its own arrays with its queriers the same way).

/** ASCII marks a wire string length whose string is ASCII-only (see head-wire.ts). */
const ASCII = 0x80000000;

/** WireLabelCache maps a label set's wire bytes to its decoded Labels, holding at most maxEntries (then it starts over). */
export class WireLabelCache {
  private readonly map = new Map<string, Labels>();

  constructor(private readonly maxEntries: number) {}

  /** size is the number of label sets held. */
  get size(): number {
    return this.map.size;
  }

  /**
   * read decodes the label set at pos of buf (u16 count, then name and value as u32 length and bytes each),
   * through the cache; decode reads it when it is not cached. Returns the labels and the position after them.
   */
  read(buf: Buffer, view: DataView, pos: number, decode: (pos: number) => { labels: Labels; end: number }): { labels: Labels; end: number } {
    const n = view.getUint16(pos, true);
    let end = pos + 2;
    for (let i = 0; i < 2 * n; i++) end += 4 + ((view.getUint32(end, true) & ~ASCII) >>> 0);
    const key = buf.toString('latin1', pos, end);
    const hit = this.map.get(key);
    if (hit !== undefined) return { labels: hit, end };
    const got = decode(pos);
    if (this.map.size >= this.maxEntries) this.map.clear();
    this.map.set(key, got.labels);
    return got;
  }
}

let active: WireLabelCache | null = null;

/** useWireLabelCache makes readSeries on this thread decode label sets through cache (null turns it off); query workers turn it on. */
export function useWireLabelCache(cache: WireLabelCache | null): void {
  active = cache;
}

/** activeWireLabelCache is the thread's label cache, or null. */
export function activeWireLabelCache(): WireLabelCache | null {
  return active;
}
