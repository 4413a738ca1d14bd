// Regex engine benchmark: typical label matchers and backtracking patterns, matched by JavaScript's
// RegExp (backtracking, the engine used before RE2), re2js (pure-JS RE2, the dependency chosen),
// Amphora's matcher (fast paths + re2js) and, when installed, the native `re2` and `re2-wasm`
// packages (set REGEX_BENCH_MODULES to a node_modules folder holding them; they are not dependencies).

import { createRequire } from 'node:module';
import { RE2JS } from 're2js';
import { newMatcher } from '../src/model/matcher.js';

/** RegexEngine compiles a Go RE2 pattern, fully anchored and dot matching newline, into a test function. */
interface RegexEngine {
  name: string;
  compile(pattern: string): (value: string) => boolean;
}

interface MatcherCase {
  pattern: string;
  /** js is the JavaScript RegExp source and flags equivalent to the pattern. */
  js: [string, string];
  values: string[];
}

/** RegexBenchOptions size the measurement. */
export interface RegexBenchOptions {
  /** values is the number of label values each matcher is run against per round. */
  values: number;
  /** budgetMs bounds the timed rounds of one matcher and engine. */
  budgetMs: number;
  /** backtrackLength is the input length for the backtracking patterns (JavaScript's RegExp runs a shorter one). */
  backtrackLength: number;
}

/** defaultRegexBenchOptions: 10,000 values per matcher, 300 ms per matcher and engine. */
export function defaultRegexBenchOptions(): RegexBenchOptions {
  return { values: 10_000, budgetMs: 300, backtrackLength: 100 };
}

function labelValues(n: number): Record<string, string[]> {
  const jobs = ['node', 'api', 'prometheus', 'alertmanager', 'grafana', 'web-frontend', 'payments', 'Foo-service', 'foobar'];
  const names = ['http_requests_total', 'http_request_duration_seconds_bucket', 'node_cpu_seconds_total', 'process_resident_memory_bytes', 'go_gc_duration_seconds', 'http_errors_total', 'up'];
  const out: Record<string, string[]> = { job: [], instance: [], name: [] };
  for (let i = 0; i < n; i++) {
    out.job!.push(`${jobs[i % jobs.length]}${i % 3 === 0 ? '' : `-${i % 97}`}`);
    out.instance!.push(`${i % 4 === 0 ? '192.168' : '10.0'}.${(i >> 8) & 255}.${i & 255}:9100`);
    out.name!.push(`${names[i % names.length]}${i % 5 === 0 ? '' : `_${i % 13}`}`);
  }
  return out;
}

function matcherCases(n: number): MatcherCase[] {
  const v = labelValues(n);
  return [
    { pattern: 'node|api', js: ['^(?:node|api)$', 's'], values: v.job! },
    { pattern: '10\\.0\\..*', js: ['^(?:10\\.0\\..*)$', 's'], values: v.instance! },
    { pattern: 'http_.*_total', js: ['^(?:http_.*_total)$', 's'], values: v.name! },
    { pattern: '(?i)foo.*', js: ['^(?:foo.*)$', 'si'], values: v.job! },
    { pattern: '.*-[0-9]+', js: ['^(?:.*-[0-9]+)$', 's'], values: v.job! },
    { pattern: '(api|web)-(\\d+)', js: ['^(?:(api|web)-(\\d+))$', 's'], values: v.job! },
  ];
}

/** BACKTRACKING pairs a pattern with the input it backtracks on and JavaScript's RegExp input length (0: not run, it would not finish). */
const BACKTRACKING: [pattern: string, input: (n: number) => string, jsLength: number][] = [
  ['(a+)+c', (n) => 'a'.repeat(n), 22],
  ['(a|a)*b', (n) => 'a'.repeat(n), 22],
  ['(.*a){20}', (n) => `${'a'.repeat(n)}!`, 0],
];

function anchored(pattern: string): string {
  return `^(?s:${pattern})$`;
}

function optionalEngines(): RegexEngine[] {
  const dir = process.env.REGEX_BENCH_MODULES;
  if (!dir) return [];
  const req = createRequire(`${dir.replace(/\/$/, '')}/`);
  const out: RegexEngine[] = [];
  try {
    const RE2 = req('re2') as new (p: string, f: string) => { test(s: string): boolean };
    out.push({ name: 're2 (native)', compile: (p) => { const r = new RE2(anchored(p), 'u'); return (s) => r.test(s); } });
  } catch { /* not installed */ }
  try {
    const { RE2 } = req('re2-wasm') as { RE2: new (p: string, f: string) => { test(s: string): boolean } };
    out.push({ name: 're2-wasm', compile: (p) => { const r = new RE2(anchored(p), 'u'); return (s) => r.test(s); } });
  } catch { /* not installed */ }
  return out;
}

function engines(): RegexEngine[] {
  return [
    { name: 're2js', compile: (p) => { const r = RE2JS.compile(`(?s:${p})`); return (s) => r.testExact(s); } },
    { name: 'amphora (fast paths + re2js)', compile: (p) => { const m = newMatcher('=~', 'x', p); return (s) => m.matches(s); } },
    ...optionalEngines(),
  ];
}

// timeMatches reports the fastest pass over all values within the budget: the minimum is robust to a loaded machine.
function timeMatches(test: (s: string) => boolean, values: string[], budgetMs: number): { nsPerMatch: number; hits: number } {
  let hits = 0;
  for (const s of values) if (test(s)) hits++;
  let best = Infinity;
  const t0 = performance.now();
  while (performance.now() - t0 < budgetMs) {
    const p0 = performance.now();
    for (const s of values) test(s);
    best = Math.min(best, performance.now() - p0);
  }
  return { nsPerMatch: Math.round((best * 1e6) / values.length), hits };
}

// timeCompile reports the fastest of 200 compiles in microseconds.
function timeCompile(compile: () => unknown): number {
  let best = Infinity;
  for (let i = 0; i < 200; i++) {
    const t0 = performance.now();
    compile();
    best = Math.min(best, performance.now() - t0);
  }
  return Math.round(best * 1000);
}

/** runRegexBench times each engine on typical matchers (ns per value, µs per compile) and on backtracking patterns (ms per match). */
export async function runRegexBench(opts: RegexBenchOptions = defaultRegexBenchOptions()): Promise<Record<string, unknown>> {
  const matchers: Record<string, Record<string, unknown>> = {};
  const all = engines();
  for (const c of matcherCases(opts.values)) {
    const row: Record<string, unknown> = {};
    const jsRe = new RegExp(c.js[0], c.js[1]);
    row['js RegExp'] = { ...timeMatches((s) => jsRe.test(s), c.values, opts.budgetMs), compileUs: timeCompile(() => new RegExp(c.js[0], c.js[1])) };
    for (const e of all) row[e.name] = { ...timeMatches(e.compile(c.pattern), c.values, opts.budgetMs), compileUs: timeCompile(() => e.compile(c.pattern)) };
    matchers[c.pattern] = row;
  }
  const backtracking: Record<string, Record<string, number>> = {};
  for (const [p, input, jsLen] of BACKTRACKING) {
    const row: Record<string, number> = {};
    let t0 = performance.now();
    if (jsLen > 0) {
      new RegExp(`^(?:${p})$`, 's').test(input(jsLen));
      row[`js RegExp (${jsLen} chars)`] = Math.round((performance.now() - t0) * 1000) / 1000;
    }
    for (const e of all) {
      const test = e.compile(p);
      t0 = performance.now();
      test(input(opts.backtrackLength));
      row[`${e.name} (${opts.backtrackLength} chars)`] = Math.round((performance.now() - t0) * 1000) / 1000;
    }
    backtracking[p] = row;
  }
  return { unit: 'nsPerMatch per label value and compileUs per compile (each the fastest pass); backtracking in ms per match', matchers, backtracking };
}
