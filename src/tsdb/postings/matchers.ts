import type { Matcher } from '../../model/matcher.js';
import { EMPTY_POSTINGS, intersect, merge, without, type Postings } from './postings.js';

/** PostingsIndex is the part of an index (head or block) that matchers are resolved against. */
export interface PostingsIndex {
  /** postings returns the sorted refs of series with label name=value; ('', '') means all series. */
  postings(name: string, value: string): Postings;
  /** labelValues lists the sorted values the label takes in the index. */
  labelValues(name: string): readonly string[];
}

/** ALL_POSTINGS_KEY is the (name, value) pair under which an index lists every series. */
export const ALL_POSTINGS_KEY = { name: '', value: '' } as const;

function postingsForValues(ix: PostingsIndex, name: string, pick: (v: string) => boolean): Postings {
  const lists: Postings[] = [];
  for (const v of ix.labelValues(name)) if (pick(v)) lists.push(ix.postings(name, v));
  return merge(lists);
}

function matchesEverything(m: Matcher): boolean {
  return m.type === '=~' && (m.value === '.*' || m.value === '(?s:.*)');
}

/**
 * postingsForMatchers resolves matchers to the sorted refs of the series they all select,
 * with Prometheus's semantics: a matcher that matches the empty string also selects
 * series that lack the label.
 */
export function postingsForMatchers(ix: PostingsIndex, matchers: readonly Matcher[]): Postings {
  const include: Postings[] = [];
  const exclude: Postings[] = [];
  for (const m of matchers) {
    if (matchesEverything(m)) continue;
    if (m.matches('')) {
      // Selects series without the label too: remove those whose value does not match.
      const notMatching = m.type === '!=' ? ix.postings(m.name, m.value) : postingsForValues(ix, m.name, (v) => !m.matches(v));
      exclude.push(notMatching);
    } else {
      const matching = m.type === '=' ? ix.postings(m.name, m.value) : postingsForValues(ix, m.name, (v) => m.matches(v));
      if (matching.length === 0) return EMPTY_POSTINGS;
      include.push(matching);
    }
  }
  if (include.length === 0) include.push(ix.postings(ALL_POSTINGS_KEY.name, ALL_POSTINGS_KEY.value));
  let result = intersect(include);
  for (const e of exclude) {
    if (result.length === 0) break;
    result = without(result, e);
  }
  return result;
}

/** labelValuesForMatchers lists the sorted values of a label among the series the matchers select. */
export function labelValuesForMatchers(ix: PostingsIndex, name: string, matchers: readonly Matcher[]): string[] {
  const values = ix.labelValues(name);
  if (matchers.length === 0) return [...values];
  const selected = postingsForMatchers(ix, matchers);
  if (selected.length === 0) return [];
  return values.filter((v) => intersect([selected, ix.postings(name, v)]).length > 0);
}
