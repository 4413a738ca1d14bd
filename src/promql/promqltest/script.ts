import { labelsFromList, labelsKey, type Label, type Labels } from '../../model/labels.js';
import { STALE_NAN } from '../../model/sample.js';
import { parseDuration, parseMetricSelector } from '../parser/index.js';
import { expandHistogramToken, type HistogramValue } from './histogram-desc.js';

/** SeriesValues is a series' labels with its expanded values (null = no sample at that position). */
export interface SeriesValues {
  labels: Labels;
  values: (number | null)[];
  /** stale holds the indexes of stale markers (kept apart: a NaN payload does not reliably survive plain JS arrays). */
  stale: Set<number>;
  /** histogram is true when the line uses native-histogram values. */
  histogram: boolean;
  /** histogramAt holds the positions of native-histogram values (left out of values, which has null there). */
  histogramAt?: number[];
  /** hists holds, by position, the native-histogram values (undefined where values holds a float or nothing). */
  hists?: (HistogramValue | undefined)[];
  /** startTs holds, by position, the start timestamps (ms) an `@st` line gave this series (null = none at that position). */
  startTs?: (number | null)[];
}

/** ExpectLine is one `expect` line of an eval block. */
export interface ExpectLine {
  kind: 'fail' | 'warn' | 'info' | 'no_warn' | 'no_info' | 'ordered' | 'string' | 'range_vector';
  msg?: string;
  regex?: RegExp;
  str?: string;
  range?: { start: number; end: number; step: number };
}

/** Command is one command of a promqltest script. */
export type Command =
  | { kind: 'load'; line: number; interval: number; series: SeriesValues[]; nhcb: boolean }
  | { kind: 'clear'; line: number }
  | {
      kind: 'eval';
      line: number;
      instant: boolean;
      start: number;
      end: number;
      step: number;
      expr: string;
      expects: ExpectLine[];
      expected: SeriesValues[];
      /** scalar is the expected scalar result when written as a bare number. */
      scalar: number | null;
      /** histogramExpected is true when an expected value is a native histogram. */
      histogramExpected: boolean;
    };

/** ScriptError reports a malformed script line. */
export class ScriptError extends Error {
  override name = 'ScriptError';
}

/** parseTime parses a runner time: a duration from the epoch (`10s`, `50m`) or plain seconds. */
export function parseTime(s: string): number {
  if (/^-?\d+(\.\d+)?$/.test(s)) return Math.round(Number(s) * 1000);
  return parseDuration(s);
}

/** parseNumber parses a value token (Inf, NaN, stale, floats). */
export function parseNumber(s: string): number {
  const l = s.toLowerCase();
  if (l === 'stale') return STALE_NAN;
  if (l === 'inf' || l === '+inf') return Infinity;
  if (l === '-inf') return -Infinity;
  if (l === 'nan' || l === '+nan' || l === '-nan') return NaN;
  const n = Number(s);
  if (s.trim() === '' || Number.isNaN(n)) {
    if (/^[+-]?0x[0-9a-f]+$/i.test(s)) return Number.parseInt(s, 16);
    throw new ScriptError(`invalid number ${JSON.stringify(s)}`);
  }
  return n;
}

/** expandValues expands the value notation (`1+2x3`, `_x2`, `stale`, `{{...}}`) into a list. */
export function expandValues(tokens: string[]): {
  values: (number | null)[];
  stale: Set<number>;
  histogram: boolean;
  histogramAt: number[];
  hists: (HistogramValue | undefined)[];
} {
  const values: (number | null)[] = [];
  const stale = new Set<number>();
  const histogramAt: number[] = [];
  const hists: (HistogramValue | undefined)[] = [];
  for (const tok of tokens) {
    if (tok.startsWith('{{')) {
      for (const hv of expandHistogramToken(tok)) {
        histogramAt.push(values.length);
        hists[values.length] = hv;
        values.push(null);
      }
      continue;
    }
    if (tok === '_') {
      values.push(null);
      continue;
    }
    if (tok.toLowerCase() === 'stale') {
      stale.add(values.length);
      values.push(NaN);
      continue;
    }
    let m = /^_x(\d+)$/.exec(tok);
    if (m) {
      for (let i = 0; i < Number(m[1]); i++) values.push(null);
      continue;
    }
    m = /^(.+?)([+-])(.+)x(\d+)$/.exec(tok);
    if (m && !/^[+-]?\d*\.?\d*e$/i.test(m[1]!)) {
      const start = parseNumber(m[1]!);
      const delta = parseNumber(m[3]!) * (m[2] === '-' ? -1 : 1);
      const n = Number(m[4]);
      for (let i = 0; i <= n; i++) values.push(start + delta * i);
      continue;
    }
    m = /^(.+)x(\d+)$/.exec(tok);
    if (m) {
      const v = parseNumber(m[1]!);
      for (let i = 0; i <= Number(m[2]); i++) values.push(v);
      continue;
    }
    values.push(parseNumber(tok));
  }
  return { values, stale, histogram: histogramAt.length > 0, histogramAt, hists };
}

/** isSTLine reports whether a load line is a start-timestamp line (`metric{...}@st <offsets>` or `@st <offsets>`). */
export function isSTLine(line: string): boolean {
  const m = /[\t ]/.exec(line);
  return m !== null && line.slice(0, m.index).endsWith('@st');
}

/** parseDurationPrefix reads a signed duration (`-1m`, `+30s`, `0`) at the head of s: its milliseconds and the rest. */
function parseDurationPrefix(s: string): { ms: number; rest: string } {
  const m = /^([+-]?)(\d[0-9a-wyzA-WYZ]*)(.*)$/.exec(s);
  if (!m) throw new ScriptError(`invalid duration in @st sequence: ${JSON.stringify(s)}`);
  const ms = parseDuration(m[2]!);
  return { ms: m[1] === '-' ? 0 - ms : ms, rest: m[3]! };
}

/**
 * expandSTOffsets expands an `@st` line's offset sequence: `_` and `_xN` (N omitted positions), `<dur>`, `<dur>xN`
 * (N+1 equal offsets) and `<dur>+<dur>xN` / `<dur>-<dur>xN` (N+1 offsets changing by the step); null = omitted.
 */
export function expandSTOffsets(tokens: string[]): (number | null)[] {
  const out: (number | null)[] = [];
  for (const tok of tokens) {
    if (tok === '_') {
      out.push(null);
      continue;
    }
    const om = /^_x(\d+)$/.exec(tok);
    if (om) {
      for (let i = 0; i < Number(om[1]); i++) out.push(null);
      continue;
    }
    const { ms: base, rest } = parseDurationPrefix(tok);
    if (rest === '') {
      out.push(base);
      continue;
    }
    let delta = 0;
    let tail = rest;
    if (rest[0] === '+' || rest[0] === '-') {
      const d = parseDurationPrefix(rest.slice(1));
      delta = rest[0] === '-' ? -d.ms : d.ms;
      tail = d.rest;
    }
    const xm = /^x(\d+)$/.exec(tail);
    if (!xm) throw new ScriptError(`invalid @st item ${JSON.stringify(tok)}`);
    for (let i = 0; i <= Number(xm[1]); i++) out.push(base + delta * i);
  }
  return out;
}

/** splitSeriesLine separates a series descriptor from its values. */
export function splitSeriesLine(line: string): { desc: string; rest: string } {
  let depth = 0;
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === "'" || c === '`') quote = c;
    else if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth === 0) return { desc: line.slice(0, i + 1), rest: line.slice(i + 1).trim() };
    } else if (depth === 0 && /\s/.test(c)) return { desc: line.slice(0, i), rest: line.slice(i).trim() };
  }
  return { desc: line, rest: '' };
}

/** parseSeriesDesc turns `name{a="b"}` into labels. */
export function parseSeriesDesc(desc: string): Labels {
  const ms = parseMetricSelector(desc);
  const ls: Label[] = [];
  for (const m of ms) {
    if (m.type !== '=') throw new ScriptError(`series descriptor must use = matchers: ${desc}`);
    ls.push({ name: m.name, value: m.value });
  }
  return labelsFromList(ls);
}

function tokenize(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let depth = 0;
  for (const c of s) {
    if (c === '{') depth++;
    if (c === '}') depth--;
    if (depth === 0 && /\s/.test(c)) {
      if (cur) out.push(cur);
      cur = '';
    } else cur += c;
  }
  if (cur) out.push(cur);
  return out;
}

function parseSeriesLine(line: string): SeriesValues {
  const { desc, rest } = splitSeriesLine(line);
  const { values, stale, histogram, histogramAt, hists } = expandValues(tokenize(rest));
  return { labels: parseSeriesDesc(desc), values, stale, histogram, histogramAt, hists };
}

function parseExpect(text: string): ExpectLine {
  const m = /^expect\s+(fail|warn|info|no_warn|no_info|ordered|string|range vector)\b\s*(.*)$/.exec(text);
  if (!m) throw new ScriptError(`invalid expect line: ${text}`);
  const kind = m[1] === 'range vector' ? 'range_vector' : (m[1] as ExpectLine['kind']);
  const rest = m[2]!;
  if (kind === 'string') {
    const s = rest.trim();
    const q = s[0];
    if (q === '`') return { kind, str: s.slice(1, -1) };
    return { kind, str: JSON.parse(s) as string };
  }
  if (kind === 'range_vector') {
    const r = /^from\s+(\S+)\s+to\s+(\S+)\s+step\s+(\S+)$/.exec(rest.trim());
    if (!r) throw new ScriptError(`invalid expect range vector line: ${text}`);
    return { kind, range: { start: parseTime(r[1]!), end: parseTime(r[2]!), step: parseDuration(r[3]!) } };
  }
  const mm = /^(msg|regex):\s*(.*)$/.exec(rest.trim());
  if (!mm) return { kind };
  if (mm[1] === 'msg') return { kind, msg: mm[2]!.trim() };
  return { kind, regex: new RegExp(mm[2]!.trim()) };
}

/** parseScript parses a promqltest script into commands. */
export function parseScript(text: string): Command[] {
  const lines = text.split('\n');
  const cmds: Command[] = [];
  let i = 0;
  const blockLines = (): { text: string; line: number }[] => {
    const out: { text: string; line: number }[] = [];
    while (i < lines.length) {
      const t = lines[i]!.trim();
      if (t === '') break;
      i++;
      if (t.startsWith('#')) continue;
      out.push({ text: t, line: i });
    }
    return out;
  };
  while (i < lines.length) {
    const raw = lines[i]!.trim();
    const lineNo = i + 1;
    i++;
    if (raw === '' || raw.startsWith('#')) continue;
    const word = raw.split(/\s+/)[0]!;
    if (word === 'clear') {
      cmds.push({ kind: 'clear', line: lineNo });
      continue;
    }
    if (word === 'load' || word === 'load_with_nhcb') {
      const interval = parseDuration(raw.split(/\s+/)[1]!);
      const series: SeriesValues[] = [];
      // An `@st` line gives start timestamps, as offsets from each sample's time, to the series line that follows
      // it (a standalone `@st <seq>` line to every following series of the load).
      let pendingST: { labels: Labels | null; offsets: (number | null)[]; line: number } | null = null;
      let defaultST: (number | null)[] | null = null;
      for (const bl of blockLines()) {
        if (isSTLine(bl.text)) {
          if (pendingST !== null) throw new ScriptError(`line ${pendingST.line}: @st line has no following sample line`);
          const { desc, rest } = splitSeriesLine(bl.text.replace(/@st(?=[\t ])/, ' '));
          const offsets = expandSTOffsets(tokenize(rest));
          if (bl.text.startsWith('@st')) defaultST = expandSTOffsets(tokenize(bl.text.slice(3)));
          else pendingST = { labels: parseSeriesDesc(desc), offsets, line: bl.line };
          continue;
        }
        const sv = parseSeriesLine(bl.text);
        const st = pendingST !== null ? pendingST : defaultST !== null ? { labels: null, offsets: defaultST, line: bl.line } : null;
        if (st !== null) {
          if (st.labels !== null && labelsKey(st.labels) !== labelsKey(sv.labels)) {
            throw new ScriptError(`line ${st.line}: @st metric does not match the following sample line`);
          }
          sv.startTs = st.offsets.map((o, i) => (o === null ? null : i * interval + o));
        }
        pendingST = null;
        series.push(sv);
      }
      if (pendingST !== null) throw new ScriptError(`line ${pendingST.line}: @st line has no following sample line`);
      cmds.push({ kind: 'load', line: lineNo, interval, series, nhcb: word === 'load_with_nhcb' });
      continue;
    }
    if (word.startsWith('eval')) {
      let m = /^(eval(?:_fail|_warn|_info|_ordered)?)\s+instant\s+at\s+(\S+)\s+(.*)$/.exec(raw);
      let instant = true;
      let start = 0;
      let end = 0;
      let step = 0;
      let expr = '';
      let variant = '';
      if (m) {
        variant = m[1]!;
        start = end = parseTime(m[2]!);
        expr = m[3]!;
      } else {
        m = /^(eval(?:_fail|_warn|_info|_ordered)?)\s+range\s+from\s+(\S+)\s+to\s+(\S+)\s+step\s+(\S+)\s+(.*)$/.exec(raw);
        if (!m) throw new ScriptError(`line ${lineNo}: invalid eval command: ${raw}`);
        instant = false;
        variant = m[1]!;
        start = parseTime(m[2]!);
        end = parseTime(m[3]!);
        step = parseDuration(m[4]!);
        expr = m[5]!;
      }
      const expects: ExpectLine[] = [];
      if (variant === 'eval_fail') expects.push({ kind: 'fail' });
      if (variant === 'eval_warn') expects.push({ kind: 'warn' });
      if (variant === 'eval_info') expects.push({ kind: 'info' });
      if (variant === 'eval_ordered') expects.push({ kind: 'ordered' });
      const expected: SeriesValues[] = [];
      let scalar: number | null = null;
      let histogramExpected = false;
      for (const bl of blockLines()) {
        const t = bl.text;
        if (t.startsWith('expect ')) {
          expects.push(parseExpect(t));
          continue;
        }
        if (t.startsWith('expected_fail_message ')) {
          const f = expects.find((x) => x.kind === 'fail');
          if (f) f.msg = t.slice('expected_fail_message '.length).trim();
          continue;
        }
        if (t.startsWith('expected_fail_regexp ')) {
          const f = expects.find((x) => x.kind === 'fail');
          if (f) f.regex = new RegExp(t.slice('expected_fail_regexp '.length).trim());
          continue;
        }
        const toks = tokenize(t);
        if (toks.length === 1 && !/[{a-zA-Z_:]/.test(toks[0]!.replace(/^[+-]?(inf|nan)$/i, ''))) {
          scalar = parseNumber(toks[0]!);
          continue;
        }
        const sv = parseSeriesLine(t);
        if (sv.histogram) histogramExpected = true;
        expected.push(sv);
      }
      cmds.push({ kind: 'eval', line: lineNo, instant, start, end, step, expr, expects, expected, scalar, histogramExpected });
      continue;
    }
    throw new ScriptError(`line ${lineNo}: invalid command ${JSON.stringify(word)}`);
  }
  return cmds;
}
