import type { FloatHistogram } from '../model/histogram/types.js';
import { ByteReader, ByteWriter } from '../tsdb/encoding/buffers.js';
import type { HistSlice } from '../tsdb/head/hist-samples.js';
import { putFloatHistogram, readFloatHistogram } from '../tsdb/wal/histogram-records.js';

// A head select reply carries a series' native histogram samples as one blob: uvarint n, then per sample the
// timestamp (varint) and the float histogram in the WAL's float-histogram layout with its custom bounds.

/** encodeHistSlice encodes histogram samples for the head select reply. */
export function encodeHistSlice(hist: HistSlice): Uint8Array {
  const w = new ByteWriter(64 + hist.t.length * 96);
  w.putUvarint(hist.t.length);
  for (let i = 0; i < hist.t.length; i++) {
    w.putVarint(hist.t[i]!);
    putFloatHistogram(w, hist.fh[i]!, true);
  }
  return w.bytes();
}

/** decodeHistSlice reads what encodeHistSlice wrote. */
export function decodeHistSlice(bytes: Uint8Array): HistSlice {
  const r = new ByteReader(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 0);
  const n = r.uvarint();
  const t = new Array<number>(n);
  const fh = new Array<FloatHistogram>(n);
  for (let i = 0; i < n; i++) {
    t[i] = r.varint();
    fh[i] = readFloatHistogram(r, true);
  }
  return { t, fh };
}
