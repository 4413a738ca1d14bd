import type { Label, Labels } from '../../model/labels.js';
import { compareStrings } from '../../model/labels.js';
import { EMPTY_POSTINGS, type Postings } from '../postings/postings.js';
import type { PostingsIndex } from '../postings/matchers.js';

interface ValueEntry {
  /** label is the canonical Label object shared by every series that has it. */
  readonly label: Label;
  refs: number[];
}

interface NameEntry {
  readonly name: string;
  readonly values: Map<string, ValueEntry>;
  sorted: string[] | null;
}

/**
 * MemPostings is the head's inverted index: label name -> value -> ascending series refs,
 * plus the list of all refs. It also interns labels, so series share Label objects.
 */
export class MemPostings implements PostingsIndex {
  private readonly names = new Map<string, NameEntry>();
  private all: number[] = [];
  private sortedNames: string[] | null = null;

  /**
   * add indexes a series and returns its labels made of shared, interned Label objects: a pair seen for the
   * first time adopts the caller's Label object (labels are immutable), and when every label already is the
   * interned one (the remote-write label cache hands out the same objects) the caller's array itself is kept.
   */
  add(ref: number, labels: Labels): Labels {
    let out: Label[] | null = null;
    for (let i = 0; i < labels.length; i++) {
      const l = labels[i]!;
      let ne = this.names.get(l.name);
      if (ne === undefined) {
        ne = { name: l.name, values: new Map(), sorted: null };
        this.names.set(l.name, ne);
        this.sortedNames = null;
      }
      let ve = ne.values.get(l.value);
      if (ve === undefined) {
        ve = { label: l, refs: [] };
        ne.values.set(l.value, ve);
        ne.sorted = null;
      }
      insertRef(ve.refs, ref);
      const canon = ve.label;
      if (out !== null) out[i] = canon;
      else if (canon !== l) {
        out = labels.slice(0, i);
        out.push(canon);
      }
    }
    insertRef(this.all, ref);
    return out ?? labels;
  }

  /** removeAll drops the given series (by ref and labels) from the index in one pass per touched list. */
  removeAll(series: readonly { readonly ref: number; readonly labels: Labels }[]): void {
    if (series.length === 0) return;
    const dead = new Set<number>();
    const touched = new Set<ValueEntry>();
    for (const s of series) {
      dead.add(s.ref);
      for (const l of s.labels) {
        const ve = this.names.get(l.name)?.values.get(l.value);
        if (ve) touched.add(ve);
      }
    }
    for (const ve of touched) {
      ve.refs = ve.refs.filter((r) => !dead.has(r));
      if (ve.refs.length === 0) {
        const ne = this.names.get(ve.label.name)!;
        ne.values.delete(ve.label.value);
        ne.sorted = null;
        if (ne.values.size === 0) {
          this.names.delete(ne.name);
          this.sortedNames = null;
        }
      }
    }
    this.all = this.all.filter((r) => !dead.has(r));
  }

  /** postings returns the ascending refs of series with name=value; ('', '') lists all series. */
  postings(name: string, value: string): Postings {
    if (name === '' && value === '') return this.all;
    return this.names.get(name)?.values.get(value)?.refs ?? EMPTY_POSTINGS;
  }

  /** labelValues lists the sorted values of a label in the index. */
  labelValues(name: string): readonly string[] {
    const ne = this.names.get(name);
    if (ne === undefined) return [];
    if (ne.sorted === null) ne.sorted = [...ne.values.keys()].sort(compareStrings);
    return ne.sorted;
  }

  /** unsortedLabelValues iterates the values of a label in no order (live: values added meanwhile may be seen). */
  unsortedLabelValues(name: string): Iterable<string> {
    return this.names.get(name)?.values.keys() ?? [];
  }

  /** labelNames lists the sorted label names in the index. */
  labelNames(): readonly string[] {
    if (this.sortedNames === null) this.sortedNames = [...this.names.keys()].sort(compareStrings);
    return this.sortedNames;
  }

  /** numSeries is the number of indexed series. */
  numSeries(): number {
    return this.all.length;
  }

  /** bytesEstimate approximates the index's memory (8 bytes per posting, ~120 bytes per distinct pair). */
  bytesEstimate(): number {
    let pairs = 0;
    let refs = this.all.length;
    for (const ne of this.names.values()) {
      pairs += ne.values.size;
      for (const ve of ne.values.values()) refs += ve.refs.length;
    }
    return refs * 8 + pairs * 120;
  }
}

function insertRef(list: number[], ref: number): void {
  const n = list.length;
  if (n === 0 || list[n - 1]! < ref) {
    list.push(ref);
    return;
  }
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]! < ref) lo = mid + 1;
    else hi = mid;
  }
  if (list[lo] !== ref) list.splice(lo, 0, ref);
}
