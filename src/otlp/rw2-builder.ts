// Builds an io.prometheus.write.v2.Request (symbols = 4, timeseries = 5) from translated OTLP
// series, so OTLP enters storage through the remote-write 2.0 ingest path: the same validation,
// limits, alias cache, created-timestamp handling and WAL durability.
import { grownBuffer } from '../tsdb/encoding/buffers.js';

/** Rw2Exemplar is one exemplar of a translated series (labels sorted by name). */
export interface Rw2Exemplar {
  readonly labels: readonly (readonly [string, string])[];
  readonly value: number;
  readonly timestamp: number;
}

/** GrowBuf is a little-endian protobuf byte sink. */
class GrowBuf {
  buf: Buffer = Buffer.allocUnsafe(4096);
  len = 0;

  ensure(n: number): void {
    if (this.len + n > this.buf.length) this.buf = grownBuffer(this.buf, this.len, this.len + n);
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.len++] = b;
  }

  /** uvarint writes a non-negative safe integer; a negative one as ten bytes of two's complement (protobuf int64). */
  uvarint(v: number): void {
    this.ensure(10);
    const b = this.buf;
    if (v < 0) {
      let x = BigInt.asUintN(64, BigInt(v));
      for (let i = 0; i < 9; i++) {
        b[this.len++] = Number(x & 0x7fn) | 0x80;
        x >>= 7n;
      }
      b[this.len++] = Number(x);
      return;
    }
    while (v >= 0x80) {
      b[this.len++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    b[this.len++] = v;
  }

  double(v: number): void {
    this.ensure(8);
    this.buf.writeDoubleLE(v, this.len);
    this.len += 8;
  }

  bytes(src: Uint8Array, start: number, end: number): void {
    this.ensure(end - start);
    this.buf.set(src.subarray(start, end), this.len);
    this.len += end - start;
  }
}

function varintLen(v: number): number {
  if (v < 0) return 10;
  let n = 1;
  while (v >= 0x80) {
    v = Math.floor(v / 0x80);
    n++;
  }
  return n;
}

/** Rw2RequestBuilder accumulates series and encodes them with one symbol table. */
export class Rw2RequestBuilder {
  private readonly symbolIndex = new Map<string, number>([['', 0]]);
  private readonly symbols = new GrowBuf();
  private readonly body = new GrowBuf();
  private readonly scratch = new GrowBuf();
  private readonly refs = new GrowBuf();
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
    const n = Buffer.byteLength(s);
    const g = this.symbols;
    g.byte(0x22);
    g.uvarint(n);
    g.ensure(n);
    g.buf.write(s, g.len, 'utf8');
    g.len += n;
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

  /** add writes one series with one sample (labels sorted by name, empty values already left out); created > 0 is its start time. */
  add(labels: readonly (readonly [string, string])[], t: number, v: number, created: number, exemplars: readonly Rw2Exemplar[] | null): void {
    const s = this.scratch;
    s.len = 0;
    this.labelRefs(labels);
    s.byte(0x0a);
    s.uvarint(this.refs.len);
    s.bytes(this.refs.buf, 0, this.refs.len);
    s.byte(0x12);
    s.uvarint(9 + 1 + varintLen(t));
    s.byte(0x09);
    s.double(v);
    s.byte(0x10);
    s.uvarint(t);
    if (exemplars !== null) {
      for (const e of exemplars) {
        this.labelRefs(e.labels);
        const inner = (this.refs.len > 0 ? 1 + varintLen(this.refs.len) + this.refs.len : 0) + 9 + (e.timestamp !== 0 ? 1 + varintLen(e.timestamp) : 0);
        s.byte(0x22);
        s.uvarint(inner);
        if (this.refs.len > 0) {
          s.byte(0x0a);
          s.uvarint(this.refs.len);
          s.bytes(this.refs.buf, 0, this.refs.len);
        }
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
    const b = this.body;
    b.byte(0x2a);
    b.uvarint(s.len);
    b.bytes(s.buf, 0, s.len);
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
