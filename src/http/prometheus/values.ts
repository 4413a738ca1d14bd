import type { MatrixSeries, Value } from '../../promql/engine/value.js';
import { histogramJSON } from './histogram-json.js';
import { assertNever } from '../../promql/parser/index.js';
import { formatSampleValue, formatScalarValue, formatTimestamp, jsonFloat } from './gofloat.js';
import { jsonString, labelsJSON } from './gojson.js';

/** resultType is the Prometheus name of a query value's type. */
export function resultType(v: Value): 'scalar' | 'string' | 'vector' | 'matrix' {
  return v.kind;
}

/**
 * JSONSink receives rendered JSON text piece by piece (a body writer that flushes to Buffers);
 * a sink with `points` renders a series' points itself (`[<seconds>,"<value>"]`, comma-separated, as
 * formatTimestamp and formatSampleValue write them), which writeValueJSON then prefers.
 */
export type JSONSink = ((text: string) => void) & { readonly points?: (ts: ArrayLike<number>, vs: ArrayLike<number>) => void };

/**
 * writeValueJSON renders a query result as Prometheus does, one series or sample at a time into
 * out: vector and matrix points as `[<seconds with ms>, "<value>"]` (jsonutil), scalars and
 * strings as `[<float seconds>, "<text>"]`.
 */
export function writeValueJSON(v: Value, out: JSONSink): void {
  switch (v.kind) {
    case 'scalar':
      return out(`[${jsonFloat(v.t / 1000)},"${formatScalarValue(v.v)}"]`);
    case 'string':
      return out(`[${jsonFloat(v.t / 1000)},${jsonString(v.v)}]`);
    case 'vector': {
      out('[');
      for (let i = 0; i < v.samples.length; i++) {
        const s = v.samples[i]!;
        if (s.h !== undefined) out(`${i > 0 ? ',' : ''}{"metric":${labelsJSON(s.metric)},"histogram":[${formatTimestamp(s.t)},${histogramJSON(s.h)}]}`);
        else out(`${i > 0 ? ',' : ''}{"metric":${labelsJSON(s.metric)},"value":[${formatTimestamp(s.t)},"${formatSampleValue(s.f)}"]}`);
      }
      return out(']');
    }
    case 'matrix': {
      out('[');
      for (let i = 0; i < v.series.length; i++) {
        const s = v.series[i]!;
        out(`${i > 0 ? ',' : ''}{"metric":${labelsJSON(s.metric)}`);
        if (s.hs !== undefined) {
          writeMixedSeries(s, out);
          out('}');
          continue;
        }
        if (s.ts.length > 0) {
          out(',"values":[');
          if (out.points !== undefined) {
            out.points(s.ts, s.vs);
            out(']}');
            continue;
          }
          // Points in runs of 1,000 keep each piece small without one string per point.
          for (let j = 0; j < s.ts.length; j += 1000) {
            let run = '';
            const end = Math.min(s.ts.length, j + 1000);
            for (let k = j; k < end; k++) run += `${k > 0 ? ',' : ''}[${formatTimestamp(s.ts[k]!)},"${formatSampleValue(s.vs[k]!)}"]`;
            out(run);
          }
          out(']');
        }
        out('}');
      }
      return out(']');
    }
    default:
      return assertNever(v);
  }
}

/** writeMixedSeries writes a series holding histograms: its floats as "values", its histograms as "histograms" (each only when present). */
function writeMixedSeries(s: MatrixSeries, out: JSONSink): void {
  const fts: number[] = [];
  const fvs: number[] = [];
  let hist = '';
  for (let k = 0; k < s.ts.length; k++) {
    const h = s.hs![k];
    if (h === undefined) {
      fts.push(s.ts[k]!);
      fvs.push(s.vs[k]!);
    } else hist += `${hist === '' ? '' : ','}[${formatTimestamp(s.ts[k]!)},${histogramJSON(h)}]`;
  }
  if (fts.length > 0) {
    out(',"values":[');
    if (out.points !== undefined) out.points(fts, fvs);
    else out(fts.map((t, k) => `[${formatTimestamp(t)},"${formatSampleValue(fvs[k]!)}"]`).join(','));
    out(']');
  }
  if (hist !== '') out(`,"histograms":[${hist}]`);
}
