import type { FastifyRequest } from 'fastify';
import type { Matcher } from '../../model/matcher.js';
import { parseDuration as parsePromDuration, parseMetricSelector } from '../../promql/parser/index.js';
import { ApiError, invalidParam } from './api-error.js';

/** MIN_TIME and MAX_TIME are the defaults of open start/end parameters (Prometheus's minTime/maxTime, clamped to safe integers). */
export const MIN_TIME = Number.MIN_SAFE_INTEGER;
/** MAX_TIME is the default end of label and series lookups. */
export const MAX_TIME = Number.MAX_SAFE_INTEGER;

const MIN_TIME_FORMATTED = '-292273086-05-16T16:47:06Z';
const MAX_TIME_FORMATTED = '292277025-08-18T07:12:54.999999999Z';

/** Form holds request parameters like Go's r.Form: body (urlencoded POST) values first, then URL query values. */
export class Form {
  constructor(private readonly params: ReadonlyMap<string, readonly string[]>) {}

  /** get is Go's FormValue: the first value, or ''. */
  get(name: string): string {
    return this.params.get(name)?.[0] ?? '';
  }

  /** entries lists every parameter with its values (to hand the form to a query worker). */
  entries(): [string, readonly string[]][] {
    return [...this.params];
  }

  /** all returns every value of a parameter. */
  all(name: string): readonly string[] {
    return this.params.get(name) ?? [];
  }
}

/** readForm collects the URL query and, for POST with an urlencoded body, the body parameters (raw Buffer). */
export function readForm(req: FastifyRequest): Form {
  const out = new Map<string, string[]>();
  const add = (sp: URLSearchParams): void => {
    for (const [k, v] of sp) {
      const xs = out.get(k);
      if (xs) xs.push(v);
      else out.set(k, [v]);
    }
  };
  if (req.method === 'POST' || req.method === 'PUT' || req.method === 'PATCH') {
    const ct = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (ct === 'application/x-www-form-urlencoded' && Buffer.isBuffer(req.body)) {
      add(new URLSearchParams(req.body.toString('utf8')));
    }
  }
  const q = req.url.indexOf('?');
  if (q >= 0) add(new URLSearchParams(req.url.slice(q + 1)));
  return new Form(out);
}

const GO_FLOAT_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const RFC3339_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:(Z)|([+-])(\d{2}):(\d{2}))$/;

function roundHalfAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/** parseTime parses Unix seconds with a fraction (rounded to ms) or RFC 3339 into ms; throws Prometheus's message. */
export function parseTime(s: string): number {
  if (GO_FLOAT_RE.test(s)) {
    const t = Number(s);
    if (Number.isFinite(t)) {
      const whole = Math.trunc(t);
      const ms = whole * 1000 + roundHalfAway((t - whole) * 1000);
      if (Number.isSafeInteger(ms)) return ms;
    }
  }
  const m = RFC3339_RE.exec(s);
  if (m) {
    const [y, mo, d, h, mi, se] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number, number];
    const daysInMonth = new Date(Date.UTC(y, mo, 0)).getUTCDate();
    if (mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth && h < 24 && mi < 60 && se < 60) {
      const frac = m[7] ? Number(m[7].padEnd(3, '0').slice(0, 3)) : 0;
      const dt = new Date(0);
      dt.setUTCFullYear(y, mo - 1, d);
      dt.setUTCHours(h, mi, se, frac);
      let ms = dt.getTime();
      if (!m[8]) {
        const off = (Number(m[10]) * 60 + Number(m[11])) * 60_000;
        ms -= m[9] === '+' ? off : -off;
      }
      return ms;
    }
  }
  if (s === MIN_TIME_FORMATTED) return MIN_TIME;
  if (s === MAX_TIME_FORMATTED) return MAX_TIME;
  throw new Error(`cannot parse ${JSON.stringify(s)} to a valid timestamp`);
}

/** timeParam reads an optional time parameter with Prometheus's error wording. */
export function timeParam(form: Form, name: string, dflt: number): number {
  const v = form.get(name);
  if (v === '') return dflt;
  try {
    return parseTime(v);
  } catch (err) {
    throw invalidParam(`Invalid time value for '${name}': ${(err as Error).message}`, name);
  }
}

const MAX_INT64_NS = 9223372036854775807;

/** parseDuration parses float seconds or a Prometheus duration into ms (fractions of a ms kept); throws Prometheus's message. */
export function parseDuration(s: string): number {
  const isInf = /^[+-]?(inf|infinity)$/i.test(s);
  if (GO_FLOAT_RE.test(s) || isInf) {
    const d = isInf ? (s.startsWith('-') ? -Infinity : Infinity) : Number(s);
    const ns = d * 1e9;
    if (ns > MAX_INT64_NS || ns < -MAX_INT64_NS) throw new Error(`cannot parse ${JSON.stringify(s)} to a valid duration. It overflows int64`);
    return Math.trunc(ns) / 1e6;
  }
  try {
    return parsePromDuration(s);
  } catch {
    throw new Error(`cannot parse ${JSON.stringify(s)} to a valid duration`);
  }
}

/** parseMatchersParam parses match[] selectors; every set needs a matcher that does not match the empty string. */
export function parseMatchersParam(values: readonly string[]): Matcher[][] {
  const sets: Matcher[][] = [];
  for (const s of values) {
    try {
      sets.push(parseMetricSelector(s));
    } catch (err) {
      throw new ApiError('bad_data', (err as Error).message, { cause: err });
    }
  }
  for (const ms of sets) {
    if (!ms.some((m) => !m.matches(''))) throw new ApiError('bad_data', 'match[] must contain at least one non-empty matcher');
  }
  return sets;
}

/** limitParam reads a non-negative integer `limit` (0 = none), with Prometheus's wording. */
export function limitParam(form: Form, name = 'limit'): number {
  const s = form.get(name);
  if (s === '') return 0;
  if (!/^[+-]?\d+$/.test(s)) throw new ApiError('bad_data', `${name} must be a number`);
  const n = Number(s);
  if (n < 0) throw new ApiError('bad_data', `${name} must be non-negative`);
  return n;
}
