import { compareLabels, compareStrings, labelsKey, type Labels } from '../../model/labels.js';
import type { Matcher } from '../../model/matcher.js';
import type { Querier, Queryable } from '../../storage/interface.js';
import { ApiError, invalidParam } from './api-error.js';
import { jsonString, labelsJSON } from './gojson.js';
import type { JSONSink } from './values.js';
import { limitParam, MAX_TIME, MIN_TIME, parseMatchersParam, timeParam, type Form } from './params.js';

/** TRUNCATED is Prometheus's warning when a limit cut a listing short. */
export const TRUNCATED = 'results truncated due to limit';

/** Listing is a listing's result: warnings, and its data rendered piece by piece on demand. */
export interface Listing {
  readonly warnings: string[];
  /** write renders the data JSON into out. */
  write(out: JSONSink): void;
}

function writeList<T>(xs: readonly T[], render: (x: T) => string, out: JSONSink): void {
  out('[');
  for (let i = 0; i < xs.length; i++) out((i > 0 ? ',' : '') + render(xs[i]!));
  out(']');
}

/** series serves /api/v1/series: the label sets of series matching any match[] in [start, end]. */
export function series(q: Queryable, form: Form): Listing {
  const match = form.all('match[]');
  if (match.length === 0) throw new ApiError('bad_data', 'no match[] parameter provided');
  const start = timeParam(form, 'start', MIN_TIME);
  const end = timeParam(form, 'end', MAX_TIME);
  let sets;
  try {
    sets = parseMatchersParam(match);
  } catch (err) {
    throw invalidParam((err as Error).message, 'match[]');
  }
  const limit = limitParam(form);
  const querier = q.querier(start, end);
  try {
    const byKey = new Map<string, Labels>();
    const warnings: string[] = [];
    for (const ms of sets) {
      const set = querier.select(true, { start, end, func: 'series' }, ms);
      while (set.next()) {
        const l = set.at().labels;
        const k = labelsKey(l);
        if (!byKey.has(k)) byKey.set(k, l);
      }
      for (const w of set.warnings()) warnings.push(w);
    }
    let out = [...byKey.values()];
    if (sets.length > 1) out.sort(compareLabels);
    if (limit > 0 && out.length > limit) {
      out = out.slice(0, limit);
      warnings.push(TRUNCATED);
    }
    return { warnings, write: (sink) => writeList(out, labelsJSON, sink) };
  } finally {
    querier.close();
  }
}

/** labelNames serves /api/v1/labels. */
export function labelNames(q: Queryable, form: Form): Listing {
  return listUnion(q, form, (querier, ms) => querier.labelNames(ms));
}

/**
 * listUnion serves a string listing over start, end, match[] and limit: one list call without
 * matchers, else one per matcher set, merged; sorted and cut to the limit.
 */
function listUnion(q: Queryable, form: Form, list: (querier: Querier, ms: readonly Matcher[]) => string[]): Listing {
  const start = timeParam(form, 'start', MIN_TIME);
  const end = timeParam(form, 'end', MAX_TIME);
  const sets = parseMatchersParam(form.all('match[]'));
  const limit = limitParam(form);
  const querier = q.querier(start, end);
  try {
    let xs: string[];
    if (sets.length === 0) xs = list(querier, []);
    else {
      const all = new Set<string>();
      for (const ms of sets) for (const x of list(querier, ms)) all.add(x);
      xs = [...all];
    }
    xs.sort(compareStrings);
    return truncate(xs, limit);
  } finally {
    querier.close();
  }
}

function truncate(xs: string[], limit: number): Listing {
  const cut = limit > 0 && xs.length > limit;
  const kept = cut ? xs.slice(0, limit) : xs;
  return { warnings: cut ? [TRUNCATED] : [], write: (sink) => writeList(kept, jsonString, sink) };
}

/** unescapeLabelName undoes Prometheus's U__ value-encoding escaping of label names in URL paths. */
export function unescapeLabelName(name: string): string {
  if (!name.startsWith('U__')) return name;
  const s = name.slice(3);
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c !== '_') {
      out += c;
      continue;
    }
    if (s[i + 1] === '_') {
      out += '_';
      i++;
      continue;
    }
    const j = s.indexOf('_', i + 1);
    const hex = j > i ? s.slice(i + 1, j) : '';
    const cp = /^[0-9a-fA-F]{1,6}$/.test(hex) ? parseInt(hex, 16) : NaN;
    if (Number.isNaN(cp) || cp > 0x10ffff) return name;
    out += String.fromCodePoint(cp);
    i = j;
  }
  return out;
}

/** labelValues serves /api/v1/label/:name/values. */
export function labelValues(q: Queryable, rawName: string, form: Form): Listing {
  const name = unescapeLabelName(rawName);
  if (name === '' || !isWellFormed(name)) throw new ApiError('bad_data', `invalid label name: ${JSON.stringify(name)}`);
  return listUnion(q, form, (querier, ms) => querier.labelValues(name, ms));
}

function isWellFormed(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const n = s.charCodeAt(i + 1);
      if (!(n >= 0xdc00 && n <= 0xdfff)) return false;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) return false;
  }
  return true;
}
