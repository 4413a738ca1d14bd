// Float histogram chunks (encoding 3), bit for bit as Prometheus's tsdb/chunkenc/float_histogram.go.
//
// Layout: a 2-byte big-endian sample count, a flag byte whose top two bits are the counter-reset
// header (histogram-header.ts), then a bit stream:
//   sample 0: the layout block (histogram-layout.ts), timestamp (varbit int), then count, zero
//             count, sum and each positive then negative (absolute) bucket count as 64 raw bits;
//   sample n: delta-of-delta of the timestamp (varbit int), then count, zero count, sum and each
//             bucket XOR-compressed against its own previous value (xor-value.ts), each field
//             keeping its own leading/trailing-zero window.
//   A stale marker (sum = stale NaN) writes count and zero count 0 and no buckets.

import type { FloatHistogram } from '../../model/histogram/types.js';
import { BSTREAM_DEFAULT_CAPACITY } from './bstream.js';
import { FloatHistogramAppender } from './float-histogram-appender.js';
import { FloatHistogramIterator } from './float-histogram-iterator.js';
import { collectChunks } from './histogram-append-flow.js';
import { HistogramChunkBase } from './histogram-chunk-bytes.js';
import { ENCODING_FLOAT_HISTOGRAM } from './histogram-header.js';

export { FloatHistogramAppender, type FloatHistogramAppendOptions, type FloatHistogramAppendResult } from './float-histogram-appender.js';
export { FloatHistogramIterator } from './float-histogram-iterator.js';
export { ENCODING_FLOAT_HISTOGRAM } from './histogram-header.js';

/** FloatHistogramChunk holds float histogram samples: new and appendable, or wrapping existing bytes. */
export class FloatHistogramChunk extends HistogramChunkBase {
  /** The constructor wraps existing chunk bytes (not copied) or starts an empty chunk with capacity bytes. */
  constructor(data?: Uint8Array, capacity = BSTREAM_DEFAULT_CAPACITY) {
    super(data, capacity, 'float histogram chunk');
  }

  /** encoding is ENCODING_FLOAT_HISTOGRAM. */
  encoding(): number {
    return ENCODING_FLOAT_HISTOGRAM;
  }

  /**
   * appender continues the chunk; on wrapped bytes it decodes every sample first (throws
   * EncodingError if they do not decode) and copies the bytes into a growable buffer.
   */
  appender(): FloatHistogramAppender {
    if (this.b.isEmptyWritable()) return new FloatHistogramAppender(this, this.b);
    const it = this.iterator();
    return this.prepareAppend(it) ? new FloatHistogramAppender(this, this.b, it) : new FloatHistogramAppender(this, this.b);
  }

  /** iterator iterates the samples present now; reuse avoids an allocation. */
  iterator(reuse?: FloatHistogramIterator): FloatHistogramIterator {
    const it = reuse ?? new FloatHistogramIterator();
    it.reset(this.b.buf(), this.b.byteLength(), this.b.view());
    return it;
  }
}

/** floatHistogramChunksFromSamples builds chunks holding the samples in order, cutting and recoding as Prometheus does; returns every chunk. */
export function floatHistogramChunksFromSamples(samples: Iterable<{ t: number; h: FloatHistogram }>): FloatHistogramChunk[] {
  const first = new FloatHistogramChunk();
  return collectChunks(first, first.appender(), samples, (a, t, h) => a.appendFloatHistogram(t, h));
}
