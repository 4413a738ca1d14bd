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
