import { runQuerierConformance } from '../../storage/querier-conformance.js';
import { headWithSeries } from './test-support.js';

runQuerierConformance('Head', async (data, mint, maxt) => (await headWithSeries(data)).querier(mint, maxt));
