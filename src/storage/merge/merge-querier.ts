import { compareLabels, compareStrings } from '../../model/labels.js';
import type { Labels } from '../../model/labels.js';
import type { Matcher } from '../../model/matcher.js';
import { isStorageError } from '../errors.js';
import type { LabelHints, Querier, SelectHints } from '../interface.js';
import type { SampleIterator, Series, SeriesSet } from '../series.js';
import { seriesSetFromArray } from '../series.js';
import { mergeSampleIterators } from './merge-iterator.js';

/** MergeQuerierOptions tune mergeQueriers. */
export interface MergeQuerierOptions {
  /** names label the queriers in warnings (for instance a block ULID or "head"); defaults to "querier <i>". */
  readonly names?: readonly string[];
  /** onWarning receives problems met outside select (label listings), which have no warnings channel. */
  readonly onWarning?: (msg: string) => void;
}

/**
 * mergeQueriers combines queriers over overlapping or adjacent data (blocks + head): select merges
 * series with identical labels (sorted k-way merge by labels), their samples merged by timestamp with
 * duplicates (same t) removed (first querier wins); labelNames/labelValues are merged sorted unions;
 * warnings concatenated; a querier that throws StorageError('corruption') during select is skipped
 * with a warning naming it (the caller still gets data from the others).
 */
export function mergeQueriers(queriers: readonly Querier[], opts: MergeQuerierOptions = {}): Querier {
  const name = (i: number): string => opts.names?.[i] ?? `querier ${i}`;
  const warn = (msg: string): void => opts.onWarning?.(msg);

  return {
    select(sorted: boolean, hints: SelectHints | undefined, matchers: readonly Matcher[]): SeriesSet {
      if (queriers.length === 1) return guardedSelect(queriers[0]!, 0, sorted, hints, matchers, name);
      // Children must be sorted so series with identical labels meet in the k-way merge.
      const sets: SeriesSet[] = [];
      for (let i = 0; i < queriers.length; i++) sets.push(guardedSelect(queriers[i]!, i, true, hints, matchers, name));
      return new MergedSeriesSet(sets, name);
    },
    labelValues(label: string, matchers: readonly Matcher[], hints?: LabelHints): string[] {
      const lists: string[][] = [];
      for (let i = 0; i < queriers.length; i++) {
        const list = guardedList(() => queriers[i]!.labelValues(label, matchers, hints), i, name, warn);
        if (list) lists.push(list);
      }
      return mergeSortedUnique(lists, hints?.limit ?? 0);
    },
    labelNames(matchers: readonly Matcher[], hints?: LabelHints): string[] {
      const lists: string[][] = [];
      for (let i = 0; i < queriers.length; i++) {
        const list = guardedList(() => queriers[i]!.labelNames(matchers, hints), i, name, warn);
        if (list) lists.push(list);
      }
      return mergeSortedUnique(lists, hints?.limit ?? 0);
    },
    close(): void {
      let first: unknown;
      for (const q of queriers) {
        try {
          q.close();
        } catch (err) {
          first ??= err;
        }
      }
      if (first !== undefined) throw first;
    },
  };
}

function skippedWarning(name: string, err: unknown): string {
  return `${name} skipped: ${(err as Error).message}`;
}

function guardedSelect(
  q: Querier,
  i: number,
  sorted: boolean,
  hints: SelectHints | undefined,
  matchers: readonly Matcher[],
  name: (i: number) => string,
): SeriesSet {
  try {
    return q.select(sorted, hints, matchers);
  } catch (err) {
    if (!isStorageError(err, 'corruption')) throw err;
    return seriesSetFromArray([], [skippedWarning(name(i), err)]);
  }
}

function guardedList(
  f: () => string[],
  i: number,
  name: (i: number) => string,
  warn: (msg: string) => void,
): string[] | undefined {
  try {
    return f();
  } catch (err) {
    if (!isStorageError(err, 'corruption')) throw err;
    warn(skippedWarning(name(i), err));
    return undefined;
  }
}

/** mergeSortedUnique merges sorted string lists into one sorted list without duplicates, capped at limit (0 = none). */
export function mergeSortedUnique(lists: readonly (readonly string[])[], limit = 0): string[] {
  const nonEmpty = lists.filter((l) => l.length > 0);
  let out: string[];
  if (nonEmpty.length === 0) out = [];
  else if (nonEmpty.length === 1) out = dedupSorted(nonEmpty[0]!);
  else {
    // Pairwise merges: k is small (blocks + head), lists are already sorted.
    let acc = dedupSorted(nonEmpty[0]!);
    for (let k = 1; k < nonEmpty.length; k++) acc = mergeTwo(acc, nonEmpty[k]!);
    out = acc;
  }
  if (limit > 0 && out.length > limit) out.length = limit;
  return out;
}

function dedupSorted(a: readonly string[]): string[] {
  const out: string[] = [];
  for (const s of a) if (out.length === 0 || out[out.length - 1] !== s) out.push(s);
  return out;
}

function mergeTwo(a: readonly string[], b: readonly string[]): string[] {
  const out: string[] = [];
  let i = 0;
  let j = 0;
  const push = (s: string): void => {
    if (out.length === 0 || out[out.length - 1] !== s) out.push(s);
  };
  while (i < a.length && j < b.length) {
    const c = compareStrings(a[i]!, b[j]!);
    if (c <= 0) {
      push(a[i++]!);
      if (c === 0) j++;
    } else push(b[j++]!);
  }
  while (i < a.length) push(a[i++]!);
  while (j < b.length) push(b[j++]!);
  return out;
}

/**
 * MergedSeriesSet k-way merges label-sorted child sets; series with equal labels become one series
 * whose samples are the timestamp merge of the children's (lower child index wins on equal t).
 * A child whose next() throws StorageError('corruption') is dropped with a warning.
 */
class MergedSeriesSet implements SeriesSet {
  private readonly sets: SeriesSet[];
  private readonly name: (i: number) => string;
  /** heads[i] is child i's current series, or undefined once the child is exhausted. */
  private readonly heads: (Series | undefined)[];
  private started = false;
  private cur: Series | undefined;
  private readonly extraWarnings: string[] = [];

  constructor(sets: SeriesSet[], name: (i: number) => string) {
    this.sets = sets;
    this.name = name;
    this.heads = new Array<Series | undefined>(sets.length).fill(undefined);
  }

  next(): boolean {
    if (!this.started) {
      this.started = true;
      for (let i = 0; i < this.sets.length; i++) this.advance(i);
    } else if (this.cur !== undefined) {
      // Advance every child whose head was part of the series just returned.
      const labels = this.cur.labels;
      for (let i = 0; i < this.sets.length; i++) {
        const h = this.heads[i];
        if (h !== undefined && compareLabels(h.labels, labels) === 0) this.advance(i);
      }
    }
    // Find the smallest labels among heads (k is small: blocks + head).
    let min: Labels | undefined;
    for (const h of this.heads) {
      if (h !== undefined && (min === undefined || compareLabels(h.labels, min) < 0)) min = h.labels;
    }
    if (min === undefined) {
      this.cur = undefined;
      return false;
    }
    const parts: Series[] = [];
    for (const h of this.heads) if (h !== undefined && compareLabels(h.labels, min) === 0) parts.push(h);
    this.cur = parts.length === 1 ? parts[0]! : mergedSeries(min, parts);
    return true;
  }

  at(): Series {
    if (this.cur === undefined) throw new Error('MergedSeriesSet.at called without a current series');
    return this.cur;
  }

  warnings(): readonly string[] {
    const out: string[] = [];
    for (const s of this.sets) out.push(...s.warnings());
    out.push(...this.extraWarnings);
    return out;
  }

  private advance(i: number): void {
    try {
      this.heads[i] = this.sets[i]!.next() ? this.sets[i]!.at() : undefined;
    } catch (err) {
      if (!isStorageError(err, 'corruption')) throw err;
      this.heads[i] = undefined;
      this.sets[i] = seriesSetFromArray([], this.sets[i]!.warnings());
      this.extraWarnings.push(skippedWarning(this.name(i), err));
    }
  }
}

function mergedSeries(labels: Labels, parts: readonly Series[]): Series {
  return {
    labels,
    iterator(): SampleIterator {
      return mergeSampleIterators(parts.map((p) => p.iterator()));
    },
  };
}
