const UNITS: Readonly<Record<string, { pos: number; ms: number }>> = {
  y: { pos: 1, ms: 365 * 24 * 3600 * 1000 },
  w: { pos: 2, ms: 7 * 24 * 3600 * 1000 },
  d: { pos: 3, ms: 24 * 3600 * 1000 },
  h: { pos: 4, ms: 3600 * 1000 },
  m: { pos: 5, ms: 60 * 1000 },
  s: { pos: 6, ms: 1000 },
  ms: { pos: 7, ms: 1 },
};

/** MAX_DURATION_MS is the largest duration Go's time.Duration holds, in ms. */
const MAX_DURATION_MS = 9223372036854.775;

/** parseDuration parses a Prometheus duration (`1h30m`, `5m`, `250ms`, `0`) into ms; throws with Prometheus's message on invalid input. */
export function parseDuration(s: string): number {
  if (s === '0') return 0;
  if (s === '') throw new Error('empty duration string');
  const orig = s;
  let dur = 0;
  let lastUnitPos = 0;
  let rest = s;
  while (rest !== '') {
    let i = 0;
    while (i < rest.length && rest.charCodeAt(i) >= 48 && rest.charCodeAt(i) <= 57) i++;
    if (i === 0) throw new Error(`not a valid duration string: "${orig}"`);
    const v = Number(rest.slice(0, i));
    rest = rest.slice(i);
    let j = 0;
    while (j < rest.length && !(rest.charCodeAt(j) >= 48 && rest.charCodeAt(j) <= 57)) j++;
    if (j === 0) throw new Error(`not a valid duration string: "${orig}"`);
    const u = rest.slice(0, j);
    rest = rest.slice(j);
    const unit = UNITS[u];
    if (!unit) throw new Error(`unknown unit "${u}" in duration "${orig}"`);
    if (unit.pos <= lastUnitPos) throw new Error(`not a valid duration string: "${orig}"`);
    lastUnitPos = unit.pos;
    if (v > MAX_DURATION_MS / unit.ms) throw new Error('duration out of range');
    dur += v * unit.ms;
    if (dur > MAX_DURATION_MS) throw new Error('duration out of range');
  }
  return dur;
}

/** formatDuration prints ms as Prometheus's model.Duration String(): `1h30m`, `90d`, `0s`; '' for negative values. */
export function formatDuration(ms: number): string {
  let rest = Math.trunc(ms);
  if (rest === 0) return '0s';
  let r = '';
  const f = (unit: string, mult: number, exact: boolean): void => {
    if (exact && rest % mult !== 0) return;
    const v = Math.trunc(rest / mult);
    if (v > 0) {
      r += `${v}${unit}`;
      rest -= v * mult;
    }
  };
  f('y', UNITS.y!.ms, true);
  f('w', UNITS.w!.ms, true);
  f('d', UNITS.d!.ms, false);
  f('h', UNITS.h!.ms, false);
  f('m', UNITS.m!.ms, false);
  f('s', 1000, false);
  f('ms', 1, false);
  return r;
}
