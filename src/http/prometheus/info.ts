import { compareStrings } from '../../model/labels.js';
import { exprToString, parseExpr, type Expr } from '../../promql/parser/index.js';
import { ApiError, invalidParam } from './api-error.js';
import type { ExemplarSource } from '../../storage/exemplars.js';
import type { MetadataSource } from '../../storage/metadata.js';
import { defaultBuildInfo, type PrometheusApiDeps } from './deps.js';
import { formatSampleValue, formatTimestamp } from './gofloat.js';
import { jsonString, labelsJSON, toJSON } from './gojson.js';
import { MAX_TIME, MIN_TIME, timeParam, type Form } from './params.js';
import { extractSelectors, translateAST } from './translate-ast.js';
import { checkMainThreadQuery } from './regex-limit.js';
import { Slicer } from '../../remote/slicer.js';

function intParam(form: Form, name: string): number {
  const s = form.get(name);
  if (s === '') return -1;
  if (!/^[+-]?\d+$/.test(s)) throw new ApiError('bad_data', `${name} must be a number`);
  return Number(s);
}

/**
 * metadata serves /api/v1/metadata: metric -> distinct {type, help, unit}, keys sorted (Go marshals maps sorted).
 * The store holds at most 20,000 families of 10 entries per workspace; the rendering runs in slices.
 */
export async function metadata(src: MetadataSource | undefined, workspaceId: string, form: Form, slicer = new Slicer()): Promise<string> {
  const limit = intParam(form, 'limit');
  const perMetric = intParam(form, 'limit_per_metric');
  const metric = form.get('metric');
  const byMetric = new Map<string, Map<string, { type: string; help: string; unit: string }>>();
  if (src) {
    for (const e of src.list(workspaceId, metric === '' ? undefined : metric)) {
      if (slicer.due()) await slicer.pause();
      if (metric !== '' && e.metric !== metric) continue;
      let m = byMetric.get(e.metric);
      if (!m) byMetric.set(e.metric, (m = new Map()));
      const k = `${e.type}\x00${e.help}\x00${e.unit}`;
      if (!m.has(k)) m.set(k, { type: e.type, help: e.help, unit: e.unit });
    }
  }
  const names = [...byMetric.keys()].sort(compareStrings);
  const parts: string[] = [];
  for (const name of names) {
    if (limit >= 0 && parts.length >= limit) break;
    let entries = [...byMetric.get(name)!.values()];
    if (perMetric > 0) entries = entries.slice(0, perMetric);
    if (slicer.due()) await slicer.pause();
    parts.push(`${jsonString(name)}:${toJSON(entries)}`);
  }
  return `{${parts.join(',')}}`;
}

function parseQueryParam(form: Form): Expr {
  checkMainThreadQuery(form.get('query'));
  try {
    return parseExpr(form.get('query'));
  } catch (err) {
    throw invalidParam((err as Error).message, 'query');
  }
}

/**
 * queryExemplars serves /api/v1/query_exemplars; null (204 No Content) when the query has no selectors, as Prometheus.
 * It runs on the ingest thread, bounded: the query's length (so its regexes' too) is capped, the store answers in slices.
 */
export async function queryExemplars(src: ExemplarSource | undefined, workspaceId: string, form: Form): Promise<string | null> {
  const start = timeParam(form, 'start', MIN_TIME);
  const end = timeParam(form, 'end', MAX_TIME);
  if (end < start) throw new ApiError('bad_data', 'end timestamp must not be before start timestamp');
  let expr: Expr;
  checkMainThreadQuery(form.get('query'));
  try {
    expr = parseExpr(form.get('query'));
  } catch (err) {
    throw new ApiError('bad_data', (err as Error).message, { cause: err });
  }
  const selectors = extractSelectors(expr);
  if (selectors.length === 0) return null;
  const res = src ? await src.select(workspaceId, start, end, selectors) : [];
  const parts = res.map((s) => {
    const ex = s.exemplars.map((e) => `{"labels":${labelsJSON(e.labels)},"value":"${formatSampleValue(e.value)}","timestamp":${formatTimestamp(e.ts)}}`);
    return `{"seriesLabels":${labelsJSON(s.seriesLabels)},"exemplars":[${ex.join(',')}]}`;
  });
  return `[${parts.join(',')}]`;
}

/** formatQuery serves /api/v1/format_query: the expression printed back in canonical form. */
export function formatQuery(form: Form): string {
  return jsonString(exprToString(parseQueryParam(form)));
}

/** parseQuery serves /api/v1/parse_query: the AST as Prometheus's UI JSON tree. */
export function parseQuery(form: Form): string {
  return toJSON(translateAST(parseQueryParam(form)));
}

/** buildInfo serves /api/v1/status/buildinfo. */
export function buildInfo(deps: PrometheusApiDeps): string {
  const b = { ...defaultBuildInfo(), ...deps.buildInfo };
  return toJSON({ version: b.version, revision: b.revision, branch: b.branch, buildUser: b.buildUser, buildDate: b.buildDate, goVersion: b.goVersion });
}
