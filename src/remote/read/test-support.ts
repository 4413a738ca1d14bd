// A remote-read client's side, for tests and benchmarks: ReadRequest encoding and decoders of
// both response types (a general-purpose reading of the wire format, not the server's code).
import { uncompressSync, compressSync } from 'snappy';
import { XORChunk } from '../../tsdb/chunkenc/xor.js';
import { crc32c } from '../../tsdb/encoding/crc32c.js';
import { PbWriter } from '../pb-writer.js';
import { PbReader } from '../pb.js';

/** ClientQuery is one query of a ReadRequest. */
export interface ClientQuery {
  start: number;
  end: number;
  matchers: { type: 0 | 1 | 2 | 3; name: string; value: string }[];
}

/** ReadSeries is a decoded series: labels as `name{...}` text and its samples. */
export interface ReadSeries {
  labels: Record<string, string>;
  samples: [number, number][];
}

/** encodeReadRequest builds a snappy-compressed ReadRequest. */
export function encodeReadRequest(queries: ClientQuery[], accepted: number[] = []): Buffer {
  const w = new PbWriter();
  for (const q of queries) {
    w.messageField(1, (m) => {
      m.uintField(1, q.start).uintField(2, q.end);
      for (const x of q.matchers) m.messageField(3, (l) => l.uintField(1, x.type).stringField(2, x.name).stringField(3, x.value));
    });
  }
  if (accepted.length > 0) {
    const p = new PbWriter();
    for (const a of accepted) p.varint(a);
    w.bytesField(2, p.finish());
  }
  return compressSync(Buffer.from(w.finish())) as Buffer;
}

function str(r: PbReader, end: number): string {
  const e = r.lenEnd(end);
  const s = Buffer.from(r.buf.subarray(r.pos, e)).toString('utf8');
  r.pos = e;
  return s;
}

function labelsOf(r: PbReader, end: number, into: Record<string, string>): void {
  let n = '';
  let v = '';
  while (r.pos < end) {
    const t = r.uint32();
    if (t === 0x0a) n = str(r, end);
    else if (t === 0x12) v = str(r, end);
    else r.skip(t & 7, end);
  }
  into[n] = v;
}

/** decodeReadResponse decodes a snappy ReadResponse: series per query. */
export function decodeReadResponse(body: Uint8Array): ReadSeries[][] {
  const buf = uncompressSync(Buffer.from(body), { asBuffer: true }) as Buffer;
  const r = new PbReader(buf);
  const out: ReadSeries[][] = [];
  while (r.pos < buf.length) {
    r.uint32();
    const qe = r.lenEnd(buf.length);
    const series: ReadSeries[] = [];
    while (r.pos < qe) {
      r.uint32();
      const se = r.lenEnd(qe);
      const s: ReadSeries = { labels: {}, samples: [] };
      while (r.pos < se) {
        const t = r.uint32();
        if (t === 0x0a) labelsOf(r, r.lenEnd(se), s.labels);
        else if (t === 0x12) {
          const e = r.lenEnd(se);
          let v = 0;
          let ts = 0;
          while (r.pos < e) {
            const k = r.uint32();
            if (k === 0x09) v = r.double();
            else if (k === 0x10) ts = r.int64();
            else r.skip(k & 7, e);
          }
          s.samples.push([ts, v]);
        } else r.skip(t & 7, se);
      }
      series.push(s);
    }
    out.push(series);
  }
  return out;
}

/** ChunkedResult is a decoded streamed response: series per query index, merged across frames, and the frame count. */
export interface ChunkedResult {
  queries: Map<number, ReadSeries[]>;
  frames: number;
  maxFrameBytes: number;
}

/** decodeChunkedResponse reads uvarint-size + CRC32C frames of ChunkedReadResponse, checking each CRC and decoding the XOR chunks. */
export function decodeChunkedResponse(body: Uint8Array): ChunkedResult {
  const res: ChunkedResult = { queries: new Map(), frames: 0, maxFrameBytes: 0 };
  const head = new PbReader(body);
  while (head.pos < body.length) {
    const size = head.uint32();
    const crc = new DataView(body.buffer, body.byteOffset + head.pos, 4).getUint32(0, false);
    const start = head.pos + 4;
    const msg = body.subarray(start, start + size);
    if (msg.length !== size) throw new Error('truncated frame');
    if ((crc32c(msg, 0, msg.length) >>> 0) !== crc) throw new Error('frame CRC mismatch');
    head.pos = start + size;
    res.frames++;
    res.maxFrameBytes = Math.max(res.maxFrameBytes, size);
    const r = new PbReader(msg);
    let qi = 0;
    const got: ReadSeries[] = [];
    while (r.pos < msg.length) {
      const t = r.uint32();
      if (t === 0x10) qi = r.int64();
      else if (t === 0x0a) {
        const se = r.lenEnd(msg.length);
        const s: ReadSeries = { labels: {}, samples: [] };
        while (r.pos < se) {
          const k = r.uint32();
          if (k === 0x0a) labelsOf(r, r.lenEnd(se), s.labels);
          else if (k === 0x12) {
            const ce = r.lenEnd(se);
            let data: Uint8Array = new Uint8Array(0);
            while (r.pos < ce) {
              const c = r.uint32();
              if (c === 0x22) {
                const de = r.lenEnd(ce);
                data = msg.subarray(r.pos, de);
                r.pos = de;
              } else r.skip(c & 7, ce);
            }
            const it = new XORChunk(data).iterator();
            while (it.next()) s.samples.push([it.atT(), it.atV()]);
          } else r.skip(k & 7, se);
        }
        got.push(s);
      } else r.skip(t & 7, msg.length);
    }
    const list = res.queries.get(qi) ?? [];
    for (const s of got) {
      const last = list[list.length - 1];
      if (last !== undefined && JSON.stringify(last.labels) === JSON.stringify(s.labels)) last.samples.push(...s.samples);
      else list.push(s);
    }
    res.queries.set(qi, list);
  }
  return res;
}
