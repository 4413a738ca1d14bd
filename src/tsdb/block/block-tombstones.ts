import { labelsKey, type Labels } from '../../model/labels.js';
import type { IndexReader } from '../index/reader.js';
import type { Intervals } from '../tombstones/intervals.js';
import type { TombstoneReader } from '../tombstones/tombstones.js';

const NONE: Intervals = Object.freeze([]) as Intervals;

/** BlockTombstones is a block's tombstones, addressable by series ref or by label set. */
export class BlockTombstones implements TombstoneReader {
  private byLabels: Map<string, Intervals> | null = null;

  constructor(
    private readonly tr: TombstoneReader,
    private readonly index: IndexReader,
  ) {}

  /** get returns the deleted intervals of a series ref. */
  get(ref: number): Intervals {
    return this.tr.get(ref);
  }

  /** forEach visits series with tombstones in ascending ref order. */
  forEach(fn: (ref: number, ivs: Intervals) => void): void {
    this.tr.forEach(fn);
  }

  /** total counts intervals over all series. */
  total(): number {
    return this.tr.total();
  }

  /** seriesCount is the number of series with tombstones. */
  seriesCount(): number {
    return this.tr.seriesCount();
  }

  /** isEmpty reports whether the block has no tombstones. */
  isEmpty(): boolean {
    return this.tr.seriesCount() === 0;
  }

  /** forLabels returns the deleted intervals of the series with exactly these labels (for merging blocks). */
  forLabels(labels: Labels): Intervals {
    if (this.isEmpty()) return NONE;
    if (this.byLabels === null) {
      const m = new Map<string, Intervals>();
      this.tr.forEach((ref, ivs) => m.set(labelsKey(this.index.series(ref).labels), ivs));
      this.byLabels = m;
    }
    return this.byLabels.get(labelsKey(labels)) ?? NONE;
  }
}
