// Integer histogram chunks (encoding 2), bit for bit as Prometheus's tsdb/chunkenc/histogram.go.
//
// Layout: a 2-byte big-endian sample count, a flag byte whose top two bits are the counter-reset
// header (histogram-header.ts), then a bit stream:
//   sample 0: the layout block (histogram-layout.ts), timestamp (varbit int), count and zero count
//             (varbit uint), sum (64 raw bits), each positive then negative bucket delta (varbit int);
//   sample n: delta-of-delta of the timestamp, of the count and of the zero count (varbit int),
//             the sum XOR-compressed against the previous sum (xor-value.ts), then per bucket the
//             delta-of-delta of its (delta-encoded) value (varbit int).
//   A stale marker (sum = stale NaN) writes 0 count and zero-count dods and no buckets.
// varbit: see varbit.ts. All samples of a chunk share the layout of sample 0; a sample with new
// buckets recodes the chunk, a counter reset or a schema/threshold change cuts a new one.

import type { Histogram } from '../../model/histogram/types.js';
import { BSTREAM_DEFAULT_CAPACITY } from './bstream.js';
import { HistogramAppender } from './histogram-appender.js';
import { collectChunks } from './histogram-append-flow.js';
import { HistogramChunkBase } from './histogram-chunk-bytes.js';
import { ENCODING_HISTOGRAM } from './histogram-header.js';
import { HistogramIterator } from './histogram-iterator.js';

export { HistogramAppender, type HistogramAppendOptions, type HistogramAppendResult } from './histogram-appender.js';
export { HistogramIterator } from './histogram-iterator.js';
export { CounterResetHeader, ENCODING_HISTOGRAM, HistogramAppendError, type CounterResetHeaderValue } from './histogram-header.js';

/** HistogramChunk holds integer histogram samples: new and appendable, or wrapping existing bytes. */
export class HistogramChunk extends HistogramChunkBase {
  /** The constructor wraps existing chunk bytes (not copied) or starts an empty chunk with capacity bytes. */
  constructor(data?: Uint8Array, capacity = BSTREAM_DEFAULT_CAPACITY) {
    super(data, capacity, 'histogram chunk');
  }

  /** encoding is ENCODING_HISTOGRAM. */
  encoding(): number {
    return ENCODING_HISTOGRAM;
  }

  /**
   * appender continues the chunk; on wrapped bytes it decodes every sample first (throws
   * EncodingError if they do not decode) and copies the bytes into a growable buffer.
   */
  appender(): HistogramAppender {
    if (this.b.isEmptyWritable()) return new HistogramAppender(this, this.b);
    const it = this.iterator();
    return this.prepareAppend(it) ? new HistogramAppender(this, this.b, it) : new HistogramAppender(this, this.b);
  }

  /** iterator iterates the samples present now; reuse avoids an allocation. */
  iterator(reuse?: HistogramIterator): HistogramIterator {
    const it = reuse ?? new HistogramIterator();
    it.reset(this.b.buf(), this.b.byteLength(), this.b.view());
    return it;
  }
}

/** histogramChunksFromSamples builds chunks holding the samples in order, cutting and recoding as Prometheus does; returns every chunk. */
export function histogramChunksFromSamples(samples: Iterable<{ t: number; h: Histogram }>): HistogramChunk[] {
  const first = new HistogramChunk();
  return collectChunks(first, first.appender(), samples, (a, t, h) => a.appendHistogram(t, h));
}
