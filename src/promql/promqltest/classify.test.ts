import { describe, expect, it } from 'vitest';
import { newMatcher } from '../../model/matcher.js';
import { classifyEval, loadedSeriesOf, type LoadedSeries } from './classify.js';
import type { Read } from './recording.js';
import { parseScript, type Command } from './script.js';

type EvalCmd = Extract<Command, { kind: 'eval' }>;

function loaded(script: string): LoadedSeries[] {
  return parseScript(script).flatMap((c) => (c.kind === 'load' ? loadedSeriesOf(c) : []));
}

function evalOf(script: string): EvalCmd {
  const c = parseScript(script).find((x) => x.kind === 'eval');
  if (c?.kind !== 'eval') throw new Error('no eval');
  return c;
}

const nameRead = (name: string, mint: number, maxt: number): Read => ({ matchers: [newMatcher('=', '__name__', name)], mint, maxt });

describe('loadedSeriesOf', () => {
  it('records native-histogram sample times', () => {
    const [s] = loaded('load 1m\n  m 1 {{schema:0 sum:1 count:1}} _ {{count:2}}x1\n');
    expect(s!.histogramTs).toEqual([60_000, 180_000, 240_000]);
  });
  it('builds the custom-bucket histogram of load_with_nhcb without le', () => {
    const ls = loaded('load_with_nhcb 5m\n  h_bucket{le="1", a="b"} 0 1\n  h_count{a="b"} 0 1\n');
    const nh = ls.filter((s) => s.histogramTs.length > 0).map((s) => s.labels.map((l) => `${l.name}=${l.value}`).join(','));
    expect(nh).toEqual(['__name__=h,a=b', '__name__=h,a=b']);
  });
});

describe('classifyEval', () => {
  const data = loaded('load 1m\n  m 1 2 {{count:1}}\n  f 1 2 3\n  c@st _ -1m\n  c 1 2\n');
  const cases: [string, string, Read[], string][] = [
    ['float only', 'eval instant at 1m f\n  f 2\n', [nameRead('f', 0, 60_000)], 'other'],
    ['histogram outside the read window', 'eval instant at 1m m\n  m 2\n', [nameRead('m', 0, 60_000)], 'other'],
    ['histogram inside the read window', 'eval instant at 2m m\n', [nameRead('m', 0, 120_000)], 'native_histograms'],
    ['histogram expected', 'eval instant at 2m m\n  m {{count:1}}\n', [], 'native_histograms'],
    ['NH-only function', 'eval instant at 1m histogram_count(f)\n', [nameRead('f', 0, 60_000)], 'native_histograms'],
    ['start timestamps read (stored: no missing feature)', 'eval instant at 1m rate(c[1m])\n', [nameRead('c', 0, 60_000)], 'other'],
    ['NH annotation', 'eval instant at 1m f\n  expect warn msg: PromQL warning: encountered a mix of histograms and floats for metric name "f"\n', [], 'native_histograms'],
  ];
  it.each(cases)('%s', (_name, script, reads, want) => {
    expect(classifyEval(evalOf(script), data, reads).cls).toBe(want);
  });
  it('only reading native-histogram data is a missing-data failure', () => {
    expect(classifyEval(evalOf('eval instant at 2m m\n'), data, [nameRead('m', 0, 120_000)]).dataMissing).toBe(true);
    expect(classifyEval(evalOf('eval instant at 1m histogram_count(f)\n'), data, []).dataMissing).toBe(false);
  });
});
