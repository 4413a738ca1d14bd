import type { Label, Labels } from '../model/labels.js';
import { appendSeries, ingestExemplar, K_SAMPLES, SeriesScan, type SeriesLabelSource } from './append-series.js';
import type { Ingester } from './ingest.js';
import { emptyCounts, type RequestCounts } from './decode-v1.js';
import { metricTypeFromProto } from './metadata-store.js';
import { DecodeError, PbReader } from './pb.js';
import { checkRequestCaps, NO_CAPS, type RequestCaps } from './request-limits.js';
import type { Slicer } from './slicer.js';
import { checkLabels, decodeUtf8, type SeriesIssue } from './validate.js';

// Field keys of io.prometheus.write.v2.Request and its messages.
const K_SYMBOLS = 0x22; // Request.symbols = 4
const K_TIMESERIES = 0x2a; // Request.timeseries = 5
const K_REFS_PACKED = 0x0a; // TimeSeries.labels_refs = 1 (packed), Exemplar.labels_refs = 1
const K_REFS_ONE = 0x08; // the same field, unpacked
const K_HISTOGRAMS = 0x1a; // TimeSeries.histograms = 3
const K_EXEMPLARS = 0x22; // TimeSeries.exemplars = 4
const K_METADATA = 0x2a; // TimeSeries.metadata = 5
const K_CREATED = 0x30; // TimeSeries.created_timestamp = 6
const K_X_VALUE = 0x11; // Exemplar.value = 2
const K_X_TS = 0x18; // Exemplar.timestamp = 3
const K_MD_TYPE = 0x08; // Metadata.type = 1
const K_MD_HELP = 0x18; // Metadata.help_ref = 3
const K_MD_UNIT = 0x20; // Metadata.unit_ref = 4

const NAME_BYTES = new TextEncoder().encode('__name__');

/** Symbols is a 2.0 request's symbol table as byte ranges of the decompressed body, decoded lazily. */
export class Symbols {
  starts = new Int32Array(256);
  ends = new Int32Array(256);
  n = 0;
  private strings: (string | undefined)[] = [];

  constructor(readonly buf: Uint8Array) {}

  /** add appends a symbol's byte range. */
  add(start: number, end: number): void {
    if (this.n === this.starts.length) {
      const s = new Int32Array(this.n * 2);
      const e = new Int32Array(this.n * 2);
      s.set(this.starts);
      e.set(this.ends);
      this.starts = s;
      this.ends = e;
    }
    this.starts[this.n] = start;
    this.ends[this.n] = end;
    this.n++;
  }

  /** get decodes symbol i (cached for the request). */
  get(i: number): string {
    let s = this.strings[i];
    if (s === undefined) {
      s = decodeUtf8(this.buf, this.starts[i]!, this.ends[i]!);
      this.strings[i] = s;
    }
    return s;
  }

  /** length is symbol i's byte length. */
  length(i: number): number {
    return this.ends[i]! - this.starts[i]!;
  }

  /** isMetricName reports whether symbol i is "__name__". */
  isMetricName(i: number): boolean {
    const s = this.starts[i]!;
    if (this.ends[i]! - s !== NAME_BYTES.length) return false;
    for (let k = 0; k < NAME_BYTES.length; k++) if (this.buf[s + k] !== NAME_BYTES[k]) return false;
    return true;
  }
}

/** ScanV2 is a scanned 2.0 request: its counts and symbol table. */
export interface ScanV2 {
  counts: RequestCounts;
  symbols: Symbols;
}

/** scanV2 checks an io.prometheus.write.v2.Request's wire structure and symbol references, and counts what it carries (stopping past a per-request cap). */
export async function scanV2(buf: Uint8Array, slicer: Slicer, caps: RequestCaps = NO_CAPS): Promise<ScanV2> {
  const c = emptyCounts();
  const symbols = new Symbols(buf);
  const r = new PbReader(buf);
  const end = buf.length;
  let maxRef = -1;
  const refs = (e: number, packed: boolean): void => {
    if (packed) {
      const pe = r.lenEnd(e);
      let n = 0;
      while (r.pos < pe) {
        const v = r.uint32();
        if (v > maxRef) maxRef = v;
        n++;
      }
      if (r.pos !== pe) throw new DecodeError('labels_refs overrun');
      if (n % 2 !== 0) throw new DecodeError('labels_refs must hold name/value pairs (odd length)');
    } else {
      const v = r.uint32();
      if (v > maxRef) maxRef = v;
    }
  };
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === K_SYMBOLS) {
      const e = r.lenEnd(end);
      symbols.add(r.pos, e);
      r.pos = e;
    } else if (tag === K_TIMESERIES) {
      const e = r.lenEnd(end);
      c.series++;
      let unpacked = 0;
      while (r.pos < e) {
        const t = r.uint32();
        if (t === K_REFS_PACKED) refs(e, true);
        else if (t === K_REFS_ONE) {
          refs(e, false);
          unpacked++;
        } else if (t === K_SAMPLES) {
          scanFields(r, r.lenEnd(e));
          c.samples++;
        } else if (t === K_HISTOGRAMS) {
          r.pos = r.lenEnd(e);
          c.histograms++;
        } else if (t === K_EXEMPLARS) {
          const xe = r.lenEnd(e);
          while (r.pos < xe) {
            const xt = r.uint32();
            if (xt === K_REFS_PACKED) refs(xe, true);
            else if (xt === K_REFS_ONE) refs(xe, false);
            else r.skip(xt & 7, xe);
          }
          c.exemplars++;
        } else if (t === K_METADATA) {
          const me = r.lenEnd(e);
          while (r.pos < me) {
            const mt = r.uint32();
            if (mt === K_MD_HELP || mt === K_MD_UNIT) {
              const v = r.uint32();
              if (v > maxRef) maxRef = v;
            } else r.skip(mt & 7, me);
          }
          c.metadata++;
        } else {
          if (t >>> 3 === 0) throw new DecodeError('invalid protobuf field number 0');
          r.skip(t & 7, e);
        }
      }
      if (unpacked % 2 !== 0) throw new DecodeError('labels_refs must hold name/value pairs (odd length)');
      checkRequestCaps(c, caps);
      if (slicer.due()) await slicer.pause();
    } else {
      if (tag >>> 3 === 0) throw new DecodeError('invalid protobuf field number 0');
      r.skip(tag & 7, end);
    }
  }
  if (maxRef >= symbols.n) throw new DecodeError(`symbol reference ${maxRef} out of range: the request has ${symbols.n} symbols`);
  return { counts: c, symbols };
}

function scanFields(r: PbReader, e: number): void {
  while (r.pos < e) r.skip(r.uint32() & 7, e);
  if (r.pos !== e) throw new DecodeError('message overruns its parent');
}

/** V2State is per-request scratch space: label refs of the current series, its alias key and first-pass scan. */
class V2State implements SeriesLabelSource {
  readonly scan = new SeriesScan();
  refs = new Uint32Array(64);
  nRefs = 0;
  key = new Uint8Array(1024);
  keyLen = 0;
  readonly metadataDone = new Set<number>();

  constructor(readonly symbols: Symbols) {}

  pushRef(v: number): void {
    if (this.nRefs === this.refs.length) {
      const next = new Uint32Array(this.refs.length * 2);
      next.set(this.refs);
      this.refs = next;
    }
    this.refs[this.nRefs++] = v;
  }

  /** buildKey writes the label pairs as 1.0 Label fields (so 1.0 and 2.0 writers share aliases); symbol tables never leak into keys. */
  buildKey(): void {
    const sym = this.symbols;
    const src = sym.buf;
    let need = 0;
    for (let i = 0; i < this.nRefs; i += 2) need += sym.length(this.refs[i]!) + sym.length(this.refs[i + 1]!) + 16;
    if (need > this.key.length) this.key = new Uint8Array(need * 2);
    const k = this.key;
    let p = 0;
    for (let i = 0; i < this.nRefs; i += 2) {
      const n = this.refs[i]!;
      const v = this.refs[i + 1]!;
      const nl = sym.length(n);
      const vl = sym.length(v);
      if (vl === 0) continue;
      const inner = (nl > 0 ? 1 + varintLen(nl) + nl : 0) + 1 + varintLen(vl) + vl;
      k[p++] = 0x0a;
      p = putVarint(k, p, inner);
      if (nl > 0) {
        k[p++] = 0x0a;
        p = putVarint(k, p, nl);
        k.set(src.subarray(sym.starts[n]!, sym.ends[n]!), p);
        p += nl;
      }
      k[p++] = 0x12;
      p = putVarint(k, p, vl);
      k.set(src.subarray(sym.starts[v]!, sym.ends[v]!), p);
      p += vl;
    }
    this.keyLen = p;
  }

  /** labels decodes and validates the current series' labels. */
  labels(ing: Ingester): Labels | SeriesIssue {
    const pairs: Label[] = [];
    for (let i = 0; i < this.nRefs; i += 2) {
      const value = this.symbols.get(this.refs[i + 1]!);
      if (value !== '') pairs.push({ name: this.symbols.get(this.refs[i]!), value });
    }
    return checkLabels(pairs, ing.labelLimits);
  }

  /** metricNameRef finds the symbol of the __name__ value, or -1. */
  metricNameRef(): number {
    for (let i = 0; i < this.nRefs; i += 2) if (this.symbols.isMetricName(this.refs[i]!)) return this.refs[i + 1]!;
    return -1;
  }
}

function varintLen(n: number): number {
  let l = 1;
  while (n >= 0x80) {
    n >>>= 7;
    l++;
  }
  return l;
}

function putVarint(b: Uint8Array, p: number, n: number): number {
  while (n >= 0x80) {
    b[p++] = (n & 0x7f) | 0x80;
    n >>>= 7;
  }
  b[p++] = n;
  return p;
}

/** ingestV2 appends a scanned 2.0 request through the ingester, giving the event loop away whenever the slicer says so. */
export async function ingestV2(buf: Uint8Array, scan: ScanV2, ing: Ingester, slicer: Slicer): Promise<void> {
  const st = new V2State(scan.symbols);
  const r = new PbReader(buf);
  const end = buf.length;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === K_TIMESERIES) {
      const e = r.lenEnd(end);
      ingestSeries(r, r.pos, e, st, ing);
      r.pos = e;
      if (slicer.due()) await slicer.pause();
    } else r.skip(tag & 7, end);
  }
}

function readRefs(r: PbReader, e: number, st: V2State, packed: boolean): void {
  if (!packed) {
    st.pushRef(r.uint32());
    return;
  }
  const pe = r.lenEnd(e);
  while (r.pos < pe) st.pushRef(r.uint32());
}

function ingestSeries(r: PbReader, s: number, e: number, st: V2State, ing: Ingester): void {
  const scan = st.scan;
  scan.reset();
  st.nRefs = 0;
  let mdType = -1;
  let mdHelp = 0;
  let mdUnit = 0;
  r.pos = s;
  while (r.pos < e) {
    const at = r.pos;
    const tag = r.uint32();
    if (tag === K_REFS_PACKED) readRefs(r, e, st, true);
    else if (tag === K_REFS_ONE) readRefs(r, e, st, false);
    else if (tag === K_SAMPLES) scan.sample(r, at, e);
    else if (tag === K_HISTOGRAMS) scan.histogram(r, at, e, K_HISTOGRAMS);
    else if (tag === K_EXEMPLARS) {
      r.pos = r.lenEnd(e);
      scan.exemplars++;
    } else if (tag === K_METADATA) {
      const me = r.lenEnd(e);
      mdType = 0;
      while (r.pos < me) {
        const mk = r.uint32();
        if (mk === K_MD_TYPE) mdType = r.uint32();
        else if (mk === K_MD_HELP) mdHelp = r.uint32();
        else if (mk === K_MD_UNIT) mdUnit = r.uint32();
        else r.skip(mk & 7, me);
      }
    } else if (tag === K_CREATED) scan.created = r.int64();
    else r.skip(tag & 7, e);
  }
  st.buildKey();
  if (st.keyLen > 0) {
    scan.key = st.key;
    scan.keyStart = 0;
    scan.keyEnd = st.keyLen;
  }
  if (!appendSeries(r, e, scan, st, ing)) return;
  if (mdType >= 0) {
    const nameRef = st.metricNameRef();
    if (nameRef >= 0 && !st.metadataDone.has(nameRef)) {
      st.metadataDone.add(nameRef);
      ing.metadata(st.symbols.get(nameRef), metricTypeFromProto(mdType), st.symbols.get(mdHelp), st.symbols.get(mdUnit));
    }
  }
  if (scan.exemplars > 0) ingestExemplars(r, s, e, st, scan.labels!, ing);
}

function ingestExemplars(r: PbReader, s: number, e: number, st: V2State, labels: Labels, ing: Ingester): void {
  const sym = st.symbols;
  r.pos = s;
  let xe: number;
  while ((xe = r.nextField(K_EXEMPLARS, e)) >= 0) {
    let v = 0;
    let t = 0;
    const refs: number[] = [];
    while (r.pos < xe) {
      const xk = r.uint32();
      if (xk === K_REFS_PACKED) {
        const pe = r.lenEnd(xe);
        while (r.pos < pe) refs.push(r.uint32());
      } else if (xk === K_REFS_ONE) refs.push(r.uint32());
      else if (xk === K_X_VALUE) v = r.double();
      else if (xk === K_X_TS) t = r.int64();
      else r.skip(xk & 7, xe);
    }
    const pairs: Label[] = [];
    for (let i = 0; i + 1 < refs.length; i += 2) {
      const value = sym.get(refs[i + 1]!);
      if (value !== '') pairs.push({ name: sym.get(refs[i]!), value });
    }
    ingestExemplar(ing, labels, pairs, v, t);
    r.pos = xe;
  }
}
