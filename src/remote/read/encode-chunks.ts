// A STREAMED_XOR_CHUNKS response: frames of uvarint(size) + CRC32C (Castagnoli, big-endian) +
// prometheus.ChunkedReadResponse { repeated ChunkedSeries chunked_series = 1; int64 query_index = 2 },
// ChunkedSeries { labels = 1, chunks = 2 }, Chunk { min_time_ms = 1, max_time_ms = 2, type = 3
// (XOR = 1), data = 4 }. One series per frame; a series is split over frames of about
// maxBytesInFrame, as Prometheus's StreamChunkedReadResponses does.
import type { Labels } from '../../model/labels.js';
import type { SampleIterator } from '../../storage/series.js';
import { XORChunk, ENCODING_XOR } from '../../tsdb/chunkenc/xor.js';
import { crc32c } from '../../tsdb/encoding/crc32c.js';
import { PbSink, uvarintLen } from '../pb-sink.js';
import { writeLabels } from './encode-samples.js';

/** SAMPLES_PER_CHUNK is how many samples a re-encoded XOR chunk holds (the head's chunk size). */
export const SAMPLES_PER_CHUNK = 120;

function labelsSize(labels: Labels): number {
  let n = 0;
  for (const l of labels) {
    const nl = Buffer.byteLength(l.name);
    const vl = Buffer.byteLength(l.value);
    n += 1 + uvarintLen(nl) + nl + 1 + uvarintLen(vl) + vl;
  }
  return n;
}

interface CutChunk {
  readonly minT: number;
  readonly maxT: number;
  readonly data: Uint8Array;
}

function chunkSize(c: CutChunk): number {
  return 1 + uvarintLen(c.minT) + 1 + uvarintLen(c.maxT) + 2 + 1 + uvarintLen(c.data.length) + c.data.length;
}

/** ChunkedFrameWriter turns series into ChunkedReadResponse frames and hands each to emit. */
export class ChunkedFrameWriter {
  private readonly msg = new PbSink(1 << 16);
  private readonly series = new PbSink(1 << 16);
  private readonly frame = new PbSink(1 << 16);

  constructor(
    private readonly maxBytesInFrame: number,
    private readonly emit: (frame: Uint8Array) => void,
  ) {}

  /** add re-encodes one series' samples as XOR chunks of SAMPLES_PER_CHUNK and writes its frames. */
  add(queryIndex: number, labels: Labels, it: SampleIterator): void {
    const maxData = this.maxBytesInFrame - labelsSize(labels);
    let left = maxData;
    let chunks: CutChunk[] = [];
    let more = it.next();
    while (more) {
      const c = new XORChunk();
      const app = c.appender();
      const minT = it.atT();
      let maxT = minT;
      let n = 0;
      do {
        maxT = it.atT();
        app.append(maxT, it.atV());
        n++;
        more = it.next();
      } while (more && n < SAMPLES_PER_CHUNK);
      const cut = { minT, maxT, data: c.bytes() };
      chunks.push(cut);
      left -= chunkSize(cut);
      if (left > 0 && more) continue;
      this.write(queryIndex, labels, chunks);
      chunks = [];
      left = maxData;
    }
  }

  private write(queryIndex: number, labels: Labels, chunks: readonly CutChunk[]): void {
    const s = this.series;
    s.len = 0;
    writeLabels(s, 1, labels);
    for (const c of chunks) {
      s.byte(0x12);
      s.uvarint(chunkSize(c));
      s.byte(0x08);
      s.uvarint(c.minT);
      s.byte(0x10);
      s.uvarint(c.maxT);
      s.byte(0x18);
      s.byte(ENCODING_XOR);
      s.byte(0x22);
      s.uvarint(c.data.length);
      s.bytes(c.data);
    }
    const m = this.msg;
    m.len = 0;
    m.message(0x0a, s);
    if (queryIndex !== 0) {
      m.byte(0x10);
      m.uvarint(queryIndex);
    }
    const f = this.frame;
    f.len = 0;
    f.uvarint(m.len);
    f.ensure(4);
    f.buf.writeUInt32BE(crc32c(m.buf, 0, m.len) >>> 0, f.len);
    f.len += 4;
    f.bytes(m.buf, 0, m.len);
    const out = new Uint8Array(f.len);
    out.set(f.buf.subarray(0, f.len));
    this.emit(out);
  }
}
