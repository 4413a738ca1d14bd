import { labelsKey, METRIC_NAME, type Labels } from '../../model/labels.js';
import type { AggregateExpr } from '../parser/ast.js';
import { formatF, formatG } from '../functions/gofloat.js';
import { kahanSumInc, quantile } from '../functions/kahan.js';
import { xxhash64 } from '../functions/xxhash.js';
import { ANNO } from './annotations.js';
import { SeriesCollector } from './collector.js';
import { PromQLError, execError } from './errors.js';
import { StepCursor, type Evaluated } from './evaluated.js';
import type { Evaluator } from './evaluator.js';
import { goQuote, isValidLabelName, keepLabels, setLabel, withoutLabels } from './labels-util.js';
import type { Sample, Vector } from './value.js';

interface Group {
  metric: Labels;
  dropName: boolean;
  count: number;
  value: number;
  kahanC: number;
  mean: number;
  incremental: boolean;
  values: number[];
  samples: Sample[];
}

const KS: [number, number] = [0, 0];

/** evalAggregate evaluates an aggregation over all steps. */
export function evalAggregate(ev: Evaluator, e: AggregateExpr): Evaluated {
  let paramVs: Float64Array | null = null;
  let label = '';
  if (e.op === 'count_values') {
    const p = e.param ? ev.eval(e.param) : null;
    if (!p || p.kind !== 'string') throw new PromQLError('bad_data', 'count_values requires a string parameter');
    label = p.v;
    if (!isValidLabelName(label)) throw execError(`invalid label name ${goQuote(label)}`);
  } else if (e.param !== null) {
    paramVs = ev.evalScalar(e.param);
  }
  const input = ev.evalVector(e.expr);
  const names = new Set(e.grouping);
  if (e.without) for (const n of [METRIC_NAME, '__type__', '__unit__']) names.add(n);
  const cursor = new StepCursor(input);
  const out = new SeriesCollector();
  for (let i = 0; i < ev.nSteps; i++) {
    const t = ev.stepTime(i);
    const v = cursor.at(t);
    const param = paramVs ? paramVs[i]! : NaN;
    const res = aggregateStep(ev, e, v, names, param, label, t);
    out.addVector(res);
  }
  return { kind: 'vector', m: out.series };
}

function groupLabels(metric: Labels, names: ReadonlySet<string>, without: boolean): Labels {
  return without ? withoutLabels(metric, names) : keepLabels(metric, names);
}

function aggregateStep(ev: Evaluator, e: AggregateExpr, v: Vector, names: ReadonlySet<string>, param: number, label: string, t: number): Vector {
  const op = e.op;
  if (op === 'topk' || op === 'bottomk' || op === 'limitk') {
    if (Number.isNaN(param)) throw execError('Parameter value is NaN');
    if (Math.abs(param) > 9.2e18) throw execError(`Scalar value ${formatG(param)} overflows int64`);
  }
  if (op === 'limit_ratio') {
    if (Number.isNaN(param)) throw execError('Ratio value is NaN');
    let ratio = param;
    if (ratio > 1 || ratio < -1) {
      ratio = ratio > 1 ? 1 : -1;
      ev.ctx.annos.warn(ANNO.invalidRatio(formatG(param), formatG(ratio)), e.param!.pos);
    }
    return v
      .filter((s) => {
        const offset = labelsHashOffset(s.metric);
        return (ratio >= 0 && offset < ratio) || (ratio < 0 && offset >= 1 + ratio);
      })
      .map((s) => ({ metric: s.metric, t, f: s.f, dropName: s.dropName }));
  }
  if (op === 'quantile' && (Number.isNaN(param) || param < 0 || param > 1)) {
    ev.ctx.annos.warn(ANNO.invalidQuantile(formatG(param)), e.param!.pos);
  }
  const groups = new Map<string, Group>();
  const order: Group[] = [];
  for (const s of v) {
    let metric = s.metric;
    if (op === 'count_values') metric = setLabel(metric, label, formatF(s.f));
    let gl: Labels;
    if (op !== 'count_values') gl = groupLabels(metric, names, e.without);
    else if (e.without) gl = withoutLabels(metric, new Set([...names].filter((n) => n !== label)));
    else gl = keepLabels(metric, new Set([...names, label]));
    const key = labelsKey(gl);
    let g = groups.get(key);
    if (g === undefined) {
      g = { metric: gl, dropName: s.dropName, count: 1, value: s.f, kahanC: 0, mean: s.f, incremental: false, values: [s.f], samples: [s] };
      if (op === 'stddev' || op === 'stdvar') g.value = Number.isFinite(s.f) ? 0 : NaN;
      groups.set(key, g);
      order.push(g);
      continue;
    }
    g.dropName = g.dropName || s.dropName;
    const f = s.f;
    switch (op) {
      case 'sum':
        kahanSumInc(f, g.value, g.kahanC, KS);
        g.value = KS[0];
        g.kahanC = KS[1];
        g.count++;
        break;
      case 'avg': {
        g.count++;
        if (!g.incremental) {
          kahanSumInc(f, g.value, g.kahanC, KS);
          if (KS[0] !== Infinity && KS[0] !== -Infinity) {
            g.value = KS[0];
            g.kahanC = KS[1];
            break;
          }
          g.incremental = true;
          g.mean = g.value / (g.count - 1);
          g.kahanC /= g.count - 1;
        }
        const q = (g.count - 1) / g.count;
        kahanSumInc(f / g.count, q * g.mean, q * g.kahanC, KS);
        g.mean = KS[0];
        g.kahanC = KS[1];
        break;
      }
      case 'count':
      case 'group':
        g.count++;
        break;
      case 'min':
        if (g.value > f || Number.isNaN(g.value)) g.value = f;
        break;
      case 'max':
        if (g.value < f || Number.isNaN(g.value)) g.value = f;
        break;
      case 'stddev':
      case 'stdvar': {
        g.count++;
        const delta = f - g.mean;
        g.mean += delta / g.count;
        g.value += delta * (f - g.mean);
        break;
      }
      case 'count_values':
        g.count++;
        break;
      case 'quantile':
        g.values.push(f);
        break;
      case 'topk':
      case 'bottomk':
      case 'limitk':
        g.samples.push(s);
        break;
    }
  }
  const out: Vector = [];
  for (const g of order) {
    let value: number;
    switch (op) {
      case 'sum': value = g.value + g.kahanC; break;
      case 'avg': value = g.incremental ? g.mean + g.kahanC : g.value / g.count + g.kahanC / g.count; break;
      case 'count':
      case 'count_values': value = g.count; break;
      case 'group': value = 1; break;
      case 'min':
      case 'max': value = g.value; break;
      case 'stddev': value = Math.sqrt(g.value / g.count); break;
      case 'stdvar': value = g.value / g.count; break;
      case 'quantile': value = quantile(param, g.values); break;
      case 'topk':
      case 'bottomk':
      case 'limitk': {
        const k = Math.trunc(param);
        if (k < 1) continue;
        let picked = g.samples;
        if (op !== 'limitk') {
          const top = op === 'topk';
          picked = g.samples.slice().sort((a, b) => kCompare(a.f, b.f, top));
        }
        for (const s of picked.slice(0, k)) out.push({ metric: s.metric, t, f: s.f, dropName: s.dropName });
        continue;
      }
    }
    out.push({ metric: g.metric, t, f: value, dropName: g.dropName && g.metric.some((l) => l.name === METRIC_NAME) });
  }
  return out;
}

const ENC = new TextEncoder();

/** labelsHashOffset maps a label set to [0, 1] by its xxhash64, as Prometheus's HashRatioSampler. */
function labelsHashOffset(ls: Labels): number {
  const parts: Uint8Array[] = [];
  let n = 0;
  for (const l of ls) {
    const a = ENC.encode(l.name);
    const b = ENC.encode(l.value);
    parts.push(a, b);
    n += a.length + b.length + 2;
  }
  const buf = new Uint8Array(n);
  let p = 0;
  for (let i = 0; i < parts.length; i += 2) {
    buf.set(parts[i]!, p);
    p += parts[i]!.length;
    buf[p++] = 0xff;
    buf.set(parts[i + 1]!, p);
    p += parts[i + 1]!.length;
    buf[p++] = 0xff;
  }
  return Number(xxhash64(buf)) / 18446744073709551616;
}

/** kCompare orders samples for topk (descending) or bottomk (ascending), NaN always last. */
function kCompare(a: number, b: number, desc: boolean): number {
  const an = Number.isNaN(a);
  const bn = Number.isNaN(b);
  if (an || bn) return an && bn ? 0 : an ? 1 : -1;
  return desc ? b - a || 0 : a - b || 0;
}
