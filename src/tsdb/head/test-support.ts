import { newMatcher } from '../../model/matcher.js';
import { StorageError } from '../../storage/errors.js';
import type { Querier } from '../../storage/interface.js';
import type { ConformanceSeries } from '../../storage/querier-conformance.js';
import { Head } from './head.js';

/** headWithSeries builds a WAL-less head holding the given series (tests). */
export async function headWithSeries(data: readonly ConformanceSeries[]): Promise<Head> {
  const head = new Head({ wal: null });
  const app = head.appender();
  for (const s of data) {
    let ref = 0;
    for (const [t, v] of s.samples) ref = app.append(ref, s.labels, t, v);
  }
  await app.commit();
  return head;
}

/** read returns all samples of each selected series (by `name=value` matchers, all series when none) as labelsString -> [t, v][]. */
export function read(q: Querier, ...m: [string, string][]): Map<string, [number, number][]> {
  const out = new Map<string, [number, number][]>();
  const ss = q.select(true, undefined, m.length ? m.map(([n, v]) => newMatcher('=', n, v)) : [newMatcher('=~', '__name__', '.+')]);
  while (ss.next()) {
    const s = ss.at();
    const it = s.iterator();
    const xs: [number, number][] = [];
    while (it.next()) xs.push([it.atT(), it.atV()]);
    out.set(s.labels.map((l) => `${l.name}=${l.value}`).join(','), xs);
  }
  return out;
}

/** code runs f and returns the StorageError code it throws, or 'ok'. */
export function code(f: () => unknown): string {
  try {
    f();
    return 'ok';
  } catch (err) {
    if (err instanceof StorageError) return err.code;
    throw err;
  }
}
