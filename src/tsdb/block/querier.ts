import type { Labels } from '../../model/labels.js';
import type { Matcher } from '../../model/matcher.js';
import type { LabelHints, Querier, SelectHints } from '../../storage/interface.js';
import type { Series, SeriesSet } from '../../storage/series.js';
import type { ChunkSegmentReader } from '../chunks/reader.js';
import type { ChunkMeta } from '../index/format.js';
import type { IndexReader } from '../index/reader.js';
import { labelValuesForMatchers, postingsForMatchers } from '../postings/matchers.js';
import type { Postings } from '../postings/postings.js';
import { intervalsCover } from '../tombstones/intervals.js';
import type { TombstoneReader } from '../tombstones/tombstones.js';
import { BlockSeriesIterator } from './iterator.js';

/** BlockReaders are what a block querier reads from. */
export interface BlockReaders {
  readonly index: IndexReader;
  readonly chunks: ChunkSegmentReader;
  readonly tombstones: TombstoneReader;
}

/** selectPostings resolves matchers to series refs; no matchers means every series. */
export function selectPostings(ix: IndexReader, matchers: readonly Matcher[]): Postings {
  return matchers.length === 0 ? ix.postings('', '') : postingsForMatchers(ix, matchers);
}

/** BlockQuerier reads one block over [mint, maxt] (inclusive), honouring tombstones. */
export class BlockQuerier implements Querier {
  constructor(
    private readonly r: BlockReaders,
    private readonly mint: number,
    private readonly maxt: number,
  ) {}

  /** select returns matching series with samples in range; index order is label order, so sorting is free. */
  select(_sorted: boolean, hints: SelectHints | undefined, matchers: readonly Matcher[]): SeriesSet {
    const mint = hints ? Math.max(this.mint, hints.start) : this.mint;
    const maxt = hints ? Math.min(this.maxt, hints.end) : this.maxt;
    const refs = mint > maxt ? [] : selectPostings(this.r.index, matchers);
    return new BlockSeriesSet(this.r, refs, mint, maxt);
  }

  /** labelValues lists values of a label among series the matchers select. */
  labelValues(name: string, matchers: readonly Matcher[], hints?: LabelHints): string[] {
    return limit(labelValuesForMatchers(this.r.index, name, matchers), hints);
  }

  /** labelNames lists label names among series the matchers select. */
  labelNames(matchers: readonly Matcher[], hints?: LabelHints): string[] {
    if (matchers.length === 0) return limit([...this.r.index.labelNames()], hints);
    const names = new Set<string>();
    for (const ref of postingsForMatchers(this.r.index, matchers)) for (const l of this.r.index.series(ref).labels) names.add(l.name);
    const all = this.r.index.labelNames();
    return limit(all.filter((n) => names.has(n)), hints);
  }

  /** close is a no-op: the block owns the readers. */
  close(): void {}
}

function limit(values: string[], hints?: LabelHints): string[] {
  return hints?.limit ? values.slice(0, hints.limit) : values;
}

class BlockSeries implements Series {
  constructor(
    readonly labels: Labels,
    private readonly chunks: readonly ChunkMeta[],
    private readonly r: BlockReaders,
    private readonly ref: number,
    private readonly mint: number,
    private readonly maxt: number,
  ) {}

  iterator(): BlockSeriesIterator {
    return new BlockSeriesIterator(this.chunks, this.r.chunks, this.mint, this.maxt, this.r.tombstones.get(this.ref));
  }
}

class BlockSeriesSet implements SeriesSet {
  private i = -1;
  private cur: BlockSeries | null = null;

  constructor(
    private readonly r: BlockReaders,
    private readonly refs: Postings,
    private readonly mint: number,
    private readonly maxt: number,
  ) {}

  next(): boolean {
    while (++this.i < this.refs.length) {
      const ref = this.refs[this.i]!;
      const s = this.r.index.series(ref);
      const deleted = this.r.tombstones.get(ref);
      const chunks = s.chunks.filter((c) => c.maxt >= this.mint && c.mint <= this.maxt && !intervalsCover(deleted, c.mint, c.maxt));
      if (chunks.length === 0) continue;
      this.cur = new BlockSeries(s.labels, chunks, this.r, ref, this.mint, this.maxt);
      return true;
    }
    this.cur = null;
    return false;
  }

  at(): Series {
    if (this.cur === null) throw new Error('BlockSeriesSet.at called without a current series');
    return this.cur;
  }

  warnings(): readonly string[] {
    return [];
  }
}
