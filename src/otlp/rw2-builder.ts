// Builds an io.prometheus.write.v2.Request (symbols = 4, timeseries = 5) from translated OTLP
// series, so OTLP enters storage through the remote-write 2.0 ingest path: the same validation,
// limits, alias cache, created-timestamp handling and WAL durability.
import { PbSink, uvarintLen as varintLen } from '../remote/pb-sink.js';
import { PbWriter, writeHistogram } from '../remote/pb-writer.js';
import type { Histogram } from '../model/histogram/types.js';

/** Rw2Exemplar is one exemplar of a translated series (labels sorted by name). */
export interface Rw2Exemplar {
  readonly labels: readonly (readonly [string, string])[];
  readonly value: number;
  readonly timestamp: number;
}

/** Rw2RequestBuilder accumulates series and encodes them with one symbol table. */
export class Rw2RequestBuilder {
  private readonly symbolIndex = new Map<string, number>([['', 0]]);
  private readonly symbols = new PbSink();
  private readonly body = new PbSink();
  private readonly scratch = new PbSink();
  private readonly refs = new PbSink();
  /** series counts the series written. */
  series = 0;

  constructor() {
    this.symbols.byte(0x22);
    this.symbols.byte(0);
  }

  /** symbol interns a string and returns its reference. */
  symbol(s: string): number {
    let i = this.symbolIndex.get(s);
    if (i !== undefined) return i;
    i = this.symbolIndex.size;
    this.symbolIndex.set(s, i);
    this.symbols.byte(0x22);
    this.symbols.lenString(s);
    return i;
  }

  private labelRefs(labels: readonly (readonly [string, string])[]): void {
    const r = this.refs;
    r.len = 0;
    for (const [n, v] of labels) {
      r.uvarint(this.symbol(n));
      r.uvarint(this.symbol(v));
    }
  }

  /** addHistogram writes one series with one native histogram sample (TimeSeries.histograms = 3) and its exemplars. */
  addHistogram(labels: readonly (readonly [string, string])[], t: number, h: Histogram, created: number, exemplars: readonly Rw2Exemplar[] | null): void {
    const w = new PbWriter();
    writeHistogram(w, 3, { timestamp: t, h });
    this.pending = w.finish();
    this.add(labels, t, 0, created, exemplars);
  }

  /** pending is a histogram field add writes instead of a float sample. */
  private pending: Uint8Array | null = null;

  /** add writes one series with one sample (labels sorted by name, empty values already left out); created > 0 is its start time. */
  add(labels: readonly (readonly [string, string])[], t: number, v: number, created: number, exemplars: readonly Rw2Exemplar[] | null): void {
    const s = this.scratch;
    s.len = 0;
    this.labelRefs(labels);
    s.message(0x0a, this.refs);
    if (this.pending !== null) {
      s.bytes(this.pending);
      this.pending = null;
    } else s.sample(t, v);
    if (exemplars !== null) {
      for (const e of exemplars) {
        this.labelRefs(e.labels);
        const inner = (this.refs.len > 0 ? 1 + varintLen(this.refs.len) + this.refs.len : 0) + 9 + (e.timestamp !== 0 ? 1 + varintLen(e.timestamp) : 0);
        s.byte(0x22);
        s.uvarint(inner);
        if (this.refs.len > 0) s.message(0x0a, this.refs);
        s.byte(0x11);
        s.double(e.value);
        if (e.timestamp !== 0) {
          s.byte(0x18);
          s.uvarint(e.timestamp);
        }
      }
    }
    if (created > 0) {
      s.byte(0x30);
      s.uvarint(created);
    }
    this.body.message(0x2a, s);
    this.series++;
  }

  /** finish returns the encoded request (symbols first). */
  finish(): Uint8Array {
    const out = Buffer.allocUnsafe(this.symbols.len + this.body.len);
    this.symbols.buf.copy(out, 0, 0, this.symbols.len);
    this.body.buf.copy(out, this.symbols.len, 0, this.body.len);
    return out;
  }
}
