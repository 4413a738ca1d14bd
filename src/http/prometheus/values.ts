import type { Value } from '../../promql/engine/value.js';
import { assertNever } from '../../promql/parser/index.js';
import { formatSampleValue, formatScalarValue, formatTimestamp, jsonFloat } from './gofloat.js';
import { jsonString, labelsJSON } from './gojson.js';

/** resultType is the Prometheus name of a query value's type. */
export function resultType(v: Value): 'scalar' | 'string' | 'vector' | 'matrix' {
  return v.kind;
}

/**
 * valueJSON renders a query result as Prometheus does: vector and matrix points as
 * `[<seconds with ms>, "<value>"]` (jsonutil), scalars and strings as `[<float seconds>, "<text>"]`.
 */
export function valueJSON(v: Value): string {
  switch (v.kind) {
    case 'scalar':
      return `[${jsonFloat(v.t / 1000)},"${formatScalarValue(v.v)}"]`;
    case 'string':
      return `[${jsonFloat(v.t / 1000)},${jsonString(v.v)}]`;
    case 'vector': {
      const parts: string[] = new Array<string>(v.samples.length);
      for (let i = 0; i < v.samples.length; i++) {
        const s = v.samples[i]!;
        parts[i] = `{"metric":${labelsJSON(s.metric)},"value":[${formatTimestamp(s.t)},"${formatSampleValue(s.f)}"]}`;
      }
      return `[${parts.join(',')}]`;
    }
    case 'matrix': {
      const parts: string[] = new Array<string>(v.series.length);
      for (let i = 0; i < v.series.length; i++) {
        const s = v.series[i]!;
        let out = `{"metric":${labelsJSON(s.metric)}`;
        if (s.ts.length > 0) {
          const pts: string[] = new Array<string>(s.ts.length);
          for (let j = 0; j < s.ts.length; j++) pts[j] = `[${formatTimestamp(s.ts[j]!)},"${formatSampleValue(s.vs[j]!)}"]`;
          out += `,"values":[${pts.join(',')}]`;
        }
        parts[i] = `${out}}`;
      }
      return `[${parts.join(',')}]`;
    }
    default:
      return assertNever(v);
  }
}
