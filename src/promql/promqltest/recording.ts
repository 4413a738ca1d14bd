import type { Matcher } from '../../model/matcher.js';
import type { Querier, Queryable } from '../../storage/interface.js';

/** Read is one series selection made by the engine: its matchers and the querier's time range [mint, maxt]. */
export interface Read {
  readonly matchers: readonly Matcher[];
  readonly mint: number;
  readonly maxt: number;
}

/** RecordingQueryable passes queries through to a Queryable and records every selection, to learn what an eval read. */
export class RecordingQueryable implements Queryable {
  /** reads are the selections made since the last reset. */
  reads: Read[] = [];

  constructor(private readonly inner: Queryable) {}

  /** querier opens the inner querier and records its selections. */
  querier(mint: number, maxt: number): Querier {
    const q = this.inner.querier(mint, maxt);
    return {
      select: (sorted, hints, matchers) => {
        this.reads.push({ matchers, mint, maxt });
        return q.select(sorted, hints, matchers);
      },
      labelValues: (name, matchers, hints) => q.labelValues(name, matchers, hints),
      labelNames: (matchers, hints) => q.labelNames(matchers, hints),
      close: () => q.close(),
    };
  }
}
