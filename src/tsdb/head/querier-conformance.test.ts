import { runQuerierConformance } from '../../storage/querier-conformance.js';
import { Head } from './head.js';

runQuerierConformance('Head', async (data, mint, maxt) => {
  const head = new Head({ wal: null });
  const app = head.appender();
  for (const s of data) {
    let ref = 0;
    for (const [t, v] of s.samples) ref = app.append(ref, s.labels, t, v);
  }
  await app.commit();
  return head.querier(mint, maxt);
});
