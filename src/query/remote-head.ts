import { compareLabels } from '../model/labels.js';
import type { Matcher } from '../model/matcher.js';
import { PromQLError } from '../promql/engine/errors.js';
import type { LabelHints, Querier, SelectHints } from '../storage/interface.js';
import type { Series, SeriesSet } from '../storage/series.js';
import { seriesSetFromArray } from '../storage/series.js';
import { snapshotIterator } from '../tsdb/head/querier.js';
import type { HeadCaller } from './head-client.js';
import { readSeries, type WireSeries } from './head-wire.js';
import type { HeadReply, WireMatcher } from './protocol.js';

function wire(ms: readonly Matcher[]): WireMatcher[] {
  return ms.map((m) => ({ type: m.type, name: m.name, value: m.value }));
}

function strings(r: HeadReply): string[] {
  if (r.kind !== 'strings') throw new PromQLError('internal', `head call: expected strings, got ${r.kind}`);
  return [...r.values];
}

function limit(values: string[], hints?: LabelHints): string[] {
  const n = hints?.limit ?? 0;
  return n > 0 && values.length > n ? values.slice(0, n) : values;
}

/** wireSeries wraps a decoded head series; its iterator clips to [mint, maxt] (the head's own iterator over the chunk bytes). */
function wireSeries(s: WireSeries, mint: number, maxt: number): Series {
  const chunks = s.chunks;
  return {
    labels: s.labels,
    iterator: () => snapshotIterator({ chunks, oooT: null, oooV: null, oooN: 0, tombstones: null, startTs: s.startTs, mint, maxt, hist: s.hist }),
  };
}

/**
 * RemoteHeadQuerier is a query worker's Querier over a workspace's head, which lives on
 * another thread: each call is a synchronous HeadClient call returning labels and chunk bytes.
 */
export class RemoteHeadQuerier implements Querier {
  constructor(
    private readonly client: HeadCaller,
    private readonly mint: number,
    private readonly maxt: number,
  ) {}

  /** select fetches the matching series with their chunks over the querier's range; sorted in the worker when asked. */
  select(sorted: boolean, _hints: SelectHints | undefined, matchers: readonly Matcher[]): SeriesSet {
    const r = this.client.call({ op: 'select', matchers: wire(matchers), mint: this.mint, maxt: this.maxt });
    if (r.kind !== 'series') throw new PromQLError('internal', `head call: expected series, got ${r.kind}`);
    const got = readSeries(r.buf);
    if (sorted) got.sort((a, b) => compareLabels(a.labels, b.labels));
    const lo = Math.max(this.mint, r.mint);
    return seriesSetFromArray(got.map((s) => wireSeries(s, lo, this.maxt)));
  }

  /** labelValues lists a label's values among matching head series. */
  labelValues(name: string, matchers: readonly Matcher[], hints?: LabelHints): string[] {
    return limit(strings(this.client.call({ op: 'labelValues', name, matchers: wire(matchers), mint: this.mint, maxt: this.maxt })), hints);
  }

  /** labelNames lists the label names among matching head series. */
  labelNames(matchers: readonly Matcher[], hints?: LabelHints): string[] {
    return limit(strings(this.client.call({ op: 'labelNames', matchers: wire(matchers), mint: this.mint, maxt: this.maxt })), hints);
  }

  /** close releases nothing: replies are owned by their series. */
  close(): void {}
}
