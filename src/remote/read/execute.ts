// Runs on a query worker: a remote-read job over the workspace's blocks and head, rendered as a
// snappy-compressed ReadResponse (SAMPLES) or as ChunkedReadResponse frames (STREAMED_XOR_CHUNKS).
import { compressSync } from 'snappy';
import { ApiError } from '../../http/prometheus/api-error.js';
import { newMatcher } from '../../model/matcher.js';
import { TOO_MANY_SAMPLES } from '../../promql/engine/errors.js';
import type { Queryable, SelectHints } from '../../storage/interface.js';
import { PbSink } from '../pb-sink.js';
import { ChunkedFrameWriter } from './encode-chunks.js';
import { QueryResultWriter, SampleLimitError } from './encode-samples.js';
import { RESPONSE_SAMPLES, type ReadQuery, type RemoteReadSpec } from './spec.js';

/** RemoteReadOutput receives the response body in pieces (owned by the receiver) and caps its size. */
export interface RemoteReadOutput {
  emit(piece: Uint8Array): void;
  readonly maxBytes: number;
}

function hintsOf(q: ReadQuery): SelectHints | undefined {
  if (q.hints === null) return undefined;
  const h = q.hints;
  return { start: h.startMs, end: h.endMs, ...(h.stepMs > 0 ? { step: h.stepMs } : {}), ...(h.func !== '' ? { func: h.func } : {}), ...(h.rangeMs > 0 ? { range: h.rangeMs } : {}) };
}

function sizeError(max: number): ApiError {
  return new ApiError('execution', `the remote read response exceeds the response size limit of ${max} bytes (query.maxResultBytes); read a shorter time range or fewer series`);
}

/** executeRemoteRead evaluates every query of the request in order; failures throw ApiError (bad_data for the sample limit). */
export function executeRemoteRead(spec: RemoteReadSpec, queryable: Queryable, signal: AbortSignal, out: RemoteReadOutput): void {
  let written = 0;
  const emit = (piece: Uint8Array): void => {
    written += piece.length;
    if (written > out.maxBytes) throw sizeError(out.maxBytes);
    out.emit(piece);
  };
  const frames = spec.responseType === RESPONSE_SAMPLES ? null : new ChunkedFrameWriter(spec.maxBytesInFrame, emit);
  const response = new PbSink(1 << 16);
  let n = 0;
  spec.queries.forEach((q, i) => {
    const matchers = q.matchers.map((m) => newMatcher(m.type, m.name, m.value));
    const querier = queryable.querier(q.startMs, q.endMs);
    try {
      const ss = querier.select(frames !== null, hintsOf(q), matchers);
      const result = frames === null ? new QueryResultWriter(spec.sampleLimit) : null;
      while (ss.next()) {
        if ((++n & 63) === 0 && signal.aborted) throw new ApiError('canceled', 'remote read was canceled');
        const s = ss.at();
        if (result !== null) {
          result.add(s.labels, s.iterator());
          if (response.len + result.bytes > out.maxBytes) throw sizeError(out.maxBytes);
        } else frames!.add(i, s.labels, s.iterator());
      }
      result?.appendTo(response);
      if (response.len > out.maxBytes) throw sizeError(out.maxBytes);
    } catch (err) {
      if (err instanceof SampleLimitError) throw new ApiError('bad_data', err.message);
      // The head select refuses to load more than the workspace's maxQuerySamples: the same limit, said as remote read says it.
      if ((err as Error).message === TOO_MANY_SAMPLES) throw new ApiError('bad_data', `exceeded sample limit (${spec.sampleLimit})`);
      throw err;
    } finally {
      querier.close();
    }
  });
  if (frames === null) emit(new Uint8Array(compressSync(response.view())));
}
