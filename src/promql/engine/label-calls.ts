import { getLabel, labelsKey, METRIC_NAME, type Labels } from '../../model/labels.js';
import { compileAnchoredRegex } from '../../model/matcher.js';
import type { RE2Regex } from '../../model/re2.js';
import type { Expr } from '../parser/ast.js';
import { expandGoTemplate } from '../functions/labels.js';
import { stringArg } from './calls.js';
import { SeriesCollector } from './collector.js';
import { execError } from './errors.js';
import type { Evaluated } from './evaluated.js';
import type { Evaluator } from './evaluator.js';
import { isValidLabelName, setLabel } from './labels-util.js';
import type { Matrix, MatrixSeries } from './value.js';
import type { FloatHistogram } from '../../model/histogram/types.js';

function relabel(m: Matrix, fn: (metric: Labels) => Labels, keepNameIf: (dst: string) => boolean, dst: string): Evaluated {
  const out = new SeriesCollector();
  const all: { metric: Labels; s: MatrixSeries }[] = m.map((s) => ({ metric: fn(s.metric), s }));
  // Merge point by point so duplicates at one timestamp are detected.
  const byTime = new Map<number, { metric: Labels; dropName: boolean; v: number; h: FloatHistogram | undefined }[]>();
  for (const { metric, s } of all) {
    for (let j = 0; j < s.ts.length; j++) {
      const t = s.ts[j]!;
      let arr = byTime.get(t);
      if (!arr) byTime.set(t, (arr = []));
      arr.push({ metric, dropName: keepNameIf(dst) ? false : s.dropName, v: s.vs[j]!, h: s.hs?.[j] });
    }
  }
  for (const t of [...byTime.keys()].sort((a, b) => a - b)) {
    for (const x of byTime.get(t)!) out.addH(x.metric, x.dropName, t, x.v, x.h);
  }
  // Keep the input order for instant queries.
  const order = new Map<string, number>();
  all.forEach((x, i) => {
    const k = labelsKey(x.metric);
    if (!order.has(k)) order.set(k, i);
  });
  out.series.sort((a, b) => order.get(labelsKey(a.metric))! - order.get(labelsKey(b.metric))!);
  return { kind: 'vector', m: out.series };
}

/** labelReplace implements label_replace(v, dst, replacement, src, regex). */
export function labelReplace(ev: Evaluator, args: readonly Expr[]): Evaluated {
  const m = ev.evalVector(args[0]!);
  const dst = stringArg(ev, args[1]!);
  const repl = stringArg(ev, args[2]!);
  const src = stringArg(ev, args[3]!);
  const regexStr = stringArg(ev, args[4]!);
  let re: RE2Regex;
  try {
    re = compileAnchoredRegex(regexStr);
  } catch {
    throw execError(`invalid regular expression in label_replace(): ${regexStr}`);
  }
  if (!isValidLabelName(dst)) throw execError(`invalid destination label name in label_replace(): ${dst}`);
  return relabel(
    m,
    (metric) => {
      const match = re.exec(getLabel(metric, src));
      if (match === null) return metric;
      return setLabel(metric, dst, expandGoTemplate(repl, match));
    },
    (d) => d === METRIC_NAME,
    dst,
  );
}

/** labelJoin implements label_join(v, dst, separator, src...). */
export function labelJoin(ev: Evaluator, args: readonly Expr[]): Evaluated {
  const m = ev.evalVector(args[0]!);
  const dst = stringArg(ev, args[1]!);
  const sep = stringArg(ev, args[2]!);
  const srcs: string[] = [];
  for (let i = 3; i < args.length; i++) {
    const s = stringArg(ev, args[i]!);
    if (!isValidLabelName(s)) throw execError(`invalid source label name in label_join(): ${s}`);
    srcs.push(s);
  }
  if (!isValidLabelName(dst)) throw execError(`invalid destination label name in label_join(): ${dst}`);
  return relabel(m, (metric) => setLabel(metric, dst, srcs.map((s) => getLabel(metric, s)).join(sep)), (d) => d === METRIC_NAME, dst);
}

