// Remote-write wire helpers of the HA tracker: read the cluster and replica labels of a
// request's first series, count its samples, and copy the request without the replica label.
// They work on the decompressed protobuf bytes (1.0 prometheus.WriteRequest and 2.0
// io.prometheus.write.v2.Request) before the decoders see them, so the ingest fast path is
// untouched: after stripping, both replicas' series carry the same label bytes.
import { DecodeError, PbReader } from '../remote/pb.js';
import { decodeUtf8 } from '../remote/validate.js';

/** WireVersion is the remote-write protocol of a body: '1.0' or '2.0'. */
export type WireVersion = '1.0' | '2.0';

const V1_TIMESERIES = 0x0a; // WriteRequest.timeseries = 1
const V1_LABEL = 0x0a; // TimeSeries.labels = 1
const LABEL_NAME = 0x0a; // Label.name = 1
const LABEL_VALUE = 0x12; // Label.value = 2
const SAMPLES = 0x12; // TimeSeries.samples = 2 (1.0 and 2.0)
const V1_HISTOGRAMS = 0x22; // TimeSeries.histograms = 4
const V2_SYMBOLS = 0x22; // Request.symbols = 4
const V2_TIMESERIES = 0x2a; // Request.timeseries = 5
const V2_REFS_PACKED = 0x0a; // TimeSeries.labels_refs = 1 (packed)
const V2_REFS_ONE = 0x08; // the same field, unpacked
const V2_HISTOGRAMS = 0x1a; // TimeSeries.histograms = 3

/** HALabels are the values of the cluster and replica labels ('' when absent). */
export interface HALabels {
  readonly cluster: string;
  readonly replica: string;
}

const encoder = new TextEncoder();

function bytesEqual(buf: Uint8Array, s: number, e: number, want: Uint8Array): boolean {
  if (e - s !== want.length) return false;
  for (let i = 0; i < want.length; i++) if (buf[s + i] !== want[i]) return false;
  return true;
}

/** labelField returns the [start, end) of the length-delimited field `key` of the message in [s, e), or null. */
function labelField(r: PbReader, s: number, e: number, key: number): [number, number] | null {
  r.pos = s;
  const fe = r.nextField(key, e);
  return fe < 0 ? null : [r.pos, fe];
}

/** firstSeriesHALabels reads the cluster and replica label values of the request's first series (Mimir looks at the first series only). */
export function firstSeriesHALabels(raw: Uint8Array, version: WireVersion, clusterLabel: string, replicaLabel: string): HALabels {
  return version === '1.0' ? v1First(raw, encoder.encode(clusterLabel), encoder.encode(replicaLabel)) : v2First(raw, clusterLabel, replicaLabel);
}

function v1First(raw: Uint8Array, cl: Uint8Array, rl: Uint8Array): HALabels {
  const r = new PbReader(raw);
  const end = raw.length;
  const e = r.nextField(V1_TIMESERIES, end);
  if (e < 0) return { cluster: '', replica: '' };
  let cluster = '';
  let replica = '';
  let le: number;
  while ((le = r.nextField(V1_LABEL, e)) >= 0) {
    const ls = r.pos;
    const name = labelField(r, ls, le, LABEL_NAME);
    if (name !== null) {
      const isCluster = bytesEqual(raw, name[0], name[1], cl);
      const isReplica = !isCluster && bytesEqual(raw, name[0], name[1], rl);
      if (isCluster || isReplica) {
        const v = labelField(r, ls, le, LABEL_VALUE);
        const value = v === null ? '' : decodeUtf8(raw, v[0], v[1]);
        if (isCluster) cluster = value;
        else replica = value;
      }
    }
    r.pos = le;
  }
  return { cluster, replica };
}

/** v2Symbols returns a 2.0 request's symbol byte ranges (starts and ends interleaved). */
function v2Symbols(raw: Uint8Array): number[] {
  const r = new PbReader(raw);
  const out: number[] = [];
  let e: number;
  while ((e = r.nextField(V2_SYMBOLS, raw.length)) >= 0) {
    out.push(r.pos, e);
    r.pos = e;
  }
  return out;
}

/** v2Refs reads a 2.0 series' label refs (packed or not) in [s, e). */
function v2Refs(r: PbReader, s: number, e: number): number[] {
  const refs: number[] = [];
  r.pos = s;
  while (r.pos < e) {
    const tag = r.uint32();
    if (tag === V2_REFS_PACKED) {
      const pe = r.lenEnd(e);
      while (r.pos < pe) refs.push(r.uint32());
    } else if (tag === V2_REFS_ONE) refs.push(r.uint32());
    else r.skip(tag & 7, e);
  }
  return refs;
}

function v2First(raw: Uint8Array, clusterLabel: string, replicaLabel: string): HALabels {
  const syms = v2Symbols(raw);
  const sym = (i: number): string => {
    if (2 * i + 1 >= syms.length) throw new DecodeError(`labels_refs ${i} is past the symbol table`);
    return decodeUtf8(raw, syms[2 * i]!, syms[2 * i + 1]!);
  };
  const r = new PbReader(raw);
  const e = r.nextField(V2_TIMESERIES, raw.length);
  if (e < 0) return { cluster: '', replica: '' };
  const refs = v2Refs(r, r.pos, e);
  let cluster = '';
  let replica = '';
  for (let i = 0; i + 1 < refs.length; i += 2) {
    const name = sym(refs[i]!);
    if (name === clusterLabel) cluster = sym(refs[i + 1]!);
    else if (name === replicaLabel) replica = sym(refs[i + 1]!);
  }
  return { cluster, replica };
}

/** countSamples counts the float and histogram samples a request carries (for the deduplicated-samples metric). */
export function countSamples(raw: Uint8Array, version: WireVersion): number {
  const r = new PbReader(raw);
  const seriesKey = version === '1.0' ? V1_TIMESERIES : V2_TIMESERIES;
  const histKey = version === '1.0' ? V1_HISTOGRAMS : V2_HISTOGRAMS;
  let n = 0;
  let e: number;
  while ((e = r.nextField(seriesKey, raw.length)) >= 0) {
    while (r.pos < e) {
      const tag = r.uint32();
      if (tag === SAMPLES || tag === histKey) n++;
      r.skip(tag & 7, e);
    }
  }
  return n;
}

/** ByteWriter writes varints and byte runs into a buffer. */
class ByteWriter {
  n = 0;
  constructor(readonly out: Uint8Array) {}
  varint(v: number): void {
    while (v >= 0x80) {
      this.out[this.n++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.out[this.n++] = v;
  }
  /** move copies out[s, e) to the write position (never after s: a stripped request only shrinks). */
  move(s: number, e: number): void {
    if (s !== this.n) this.out.copyWithin(this.n, s, e);
    this.n += e - s;
  }
  /** copy appends src[s, e) from another buffer. */
  copy(src: Uint8Array, s: number, e: number): void {
    this.out.set(src.subarray(s, e), this.n);
    this.n += e - s;
  }
}

/**
 * stripLabel removes the label `name` from every series of the request (exemplar and metadata
 * fields untouched), rewriting `raw` IN PLACE, and returns the shortened view of it (raw itself
 * when no series carries the label). Malformed input throws DecodeError and leaves raw
 * partly rewritten: the caller must then refuse the request.
 */
export function stripLabel(raw: Uint8Array, version: WireVersion, name: string): Uint8Array {
  return version === '1.0' ? stripV1(raw, encoder.encode(name)) : stripV2(raw, name);
}

/** SeriesRewrite is a rewritten series body: its length, written on demand at the write position. */
interface SeriesRewrite {
  len: number;
  write(w: ByteWriter): void;
}

/**
 * rewriteSeries rewrites a request in place, replacing the body of each series field (tag `key`)
 * for which `rewrite` returns a SeriesRewrite (read fully before anything of it is written); it
 * returns the shortened view, or raw when nothing was rewritten.
 */
function rewriteSeries(raw: Uint8Array, key: number, rewrite: (r: PbReader, s: number, e: number) => SeriesRewrite | null): Uint8Array {
  const r = new PbReader(raw);
  const end = raw.length;
  const w = new ByteWriter(raw);
  let changed = false;
  let kept = 0; // input bytes in [kept, field start) are unchanged and still to be moved
  while (r.pos < end) {
    const fieldStart = r.pos;
    const tag = r.uint32();
    if (tag !== key) {
      r.skip(tag & 7, end);
      continue;
    }
    const e = r.lenEnd(end);
    const body = rewrite(r, r.pos, e);
    r.pos = e;
    if (body === null) continue;
    changed = true;
    w.move(kept, fieldStart);
    w.varint(key);
    w.varint(body.len);
    body.write(w);
    kept = e;
  }
  if (!changed) return raw;
  w.move(kept, end);
  return raw.subarray(0, w.n);
}

/** isLabelNamed reports whether the Label message in [s, e) has the name `name` (name field first, as every encoder writes it, else searched). */
function isLabelNamed(r: PbReader, raw: Uint8Array, s: number, e: number, name: Uint8Array): boolean {
  if (raw[s] === LABEL_NAME && s + 1 < e && raw[s + 1]! < 0x80) return bytesEqual(raw, s + 2, s + 2 + raw[s + 1]!, name);
  const nm = labelField(r, s, e, LABEL_NAME);
  return nm !== null && bytesEqual(raw, nm[0], nm[1], name);
}

function stripV1(raw: Uint8Array, nameBytes: Uint8Array): Uint8Array {
  // One reusable rewrite: the dropped label fields of the current series as [start, end) pairs.
  let drops = new Int32Array(8);
  let nd = 0;
  let s0 = 0;
  let e0 = 0;
  const out: SeriesRewrite = {
    len: 0,
    write: (w) => {
      let at = s0;
      for (let i = 0; i < nd; i += 2) {
        w.move(at, drops[i]!);
        at = drops[i + 1]!;
      }
      w.move(at, e0);
    },
  };
  return rewriteSeries(raw, V1_TIMESERIES, (r, s, e) => {
    nd = 0;
    let len = e - s;
    r.pos = s;
    while (r.pos < e) {
      const fs = r.pos;
      const t = r.uint32();
      if (t === V1_LABEL) {
        const le = r.lenEnd(e);
        if (isLabelNamed(r, raw, r.pos, le, nameBytes)) {
          if (nd === drops.length) {
            const d = new Int32Array(nd * 2);
            d.set(drops);
            drops = d;
          }
          drops[nd++] = fs;
          drops[nd++] = le;
          len -= le - fs;
        }
        r.pos = le;
      } else r.skip(t & 7, e);
    }
    if (nd === 0) return null;
    s0 = s;
    e0 = e;
    out.len = len;
    return out;
  });
}

function stripV2(raw: Uint8Array, name: string): Uint8Array {
  const syms = v2Symbols(raw);
  const nameBytes = encoder.encode(name);
  const isName = new Set<number>();
  for (let i = 0; 2 * i < syms.length; i++) if (bytesEqual(raw, syms[2 * i]!, syms[2 * i + 1]!, nameBytes)) isName.add(i);
  if (isName.size === 0) return raw;
  return rewriteSeries(raw, V2_TIMESERIES, (r, s, e) => {
    const refs = v2Refs(r, s, e);
    const kept: number[] = [];
    for (let i = 0; i + 1 < refs.length; i += 2) if (!isName.has(refs[i]!)) kept.push(refs[i]!, refs[i + 1]!);
    if (kept.length === refs.length) return null;
    // The kept refs packed first (packing never grows them), then every other field as it was.
    const body = new ByteWriter(new Uint8Array(e - s + 16));
    if (kept.length > 0) {
      const packed = new ByteWriter(new Uint8Array(5 * kept.length));
      for (const v of kept) packed.varint(v);
      body.varint(V2_REFS_PACKED);
      body.varint(packed.n);
      body.copy(packed.out, 0, packed.n);
    }
    r.pos = s;
    while (r.pos < e) {
      const fs = r.pos;
      const t = r.uint32();
      r.skip(t & 7, e);
      if (t !== V2_REFS_PACKED && t !== V2_REFS_ONE) body.copy(raw, fs, r.pos);
    }
    return { len: body.n, write: (w) => w.copy(body.out, 0, body.n) };
  });
}
