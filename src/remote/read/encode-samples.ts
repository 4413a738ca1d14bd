// A SAMPLES response: prometheus.ReadResponse { repeated QueryResult results = 1 }, QueryResult
// { repeated TimeSeries timeseries = 1 }, TimeSeries { labels = 1, samples = 2 }, Label { name = 1,
// value = 2 }, Sample { value = 1 (double), timestamp = 2 (int64) }; snappy block-compressed.
import type { Labels } from '../../model/labels.js';
import type { SampleIterator } from '../../storage/series.js';
import { PbSink, uvarintLen } from '../pb-sink.js';

/** SampleLimitError is a query over the remote-read sample limit (400, as Prometheus answers). */
export class SampleLimitError extends Error {
  override name = 'SampleLimitError';
}

/** writeLabels writes a series' labels as repeated Label fields of the given field number. */
export function writeLabels(out: PbSink, field: number, labels: Labels): void {
  for (const l of labels) {
    const nl = Buffer.byteLength(l.name);
    const vl = Buffer.byteLength(l.value);
    out.byte((field << 3) | 2);
    out.uvarint(1 + uvarintLen(nl) + nl + 1 + uvarintLen(vl) + vl);
    out.byte(0x0a);
    out.lenString(l.name);
    out.byte(0x12);
    out.lenString(l.value);
  }
}

/** QueryResultWriter accumulates one QueryResult of a ReadResponse. */
export class QueryResultWriter {
  private readonly result = new PbSink(1 << 16);
  private readonly series = new PbSink(1 << 12);
  /** samples counts the samples written for this query. */
  samples = 0;

  constructor(private readonly sampleLimit: number) {}

  /** add writes one series with its samples from the iterator; throws SampleLimitError past the limit. */
  add(labels: Labels, it: SampleIterator): void {
    const s = this.series;
    s.len = 0;
    writeLabels(s, 1, labels);
    const limit = this.sampleLimit;
    while (it.next()) {
      if (limit > 0 && ++this.samples > limit) throw new SampleLimitError(`exceeded sample limit (${limit})`);
      s.sample(it.atT(), it.atV());
    }
    this.result.message(0x0a, s);
  }

  /** bytes is the size of the QueryResult so far. */
  get bytes(): number {
    return this.result.len;
  }

  /** appendTo writes the QueryResult as field 1 of the ReadResponse being built in out. */
  appendTo(out: PbSink): void {
    out.message(0x0a, this.result);
  }
}
