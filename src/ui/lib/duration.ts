const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 31_536_000_000 };

/** parseDuration reads a Prometheus duration (`1h30m`, `15s`, `500ms`) into milliseconds; null when it is not one. */
export function parseDuration(s: string): number | null {
  const t = s.trim();
  if (!t) return null;
  const re = /(\d+)(ms|s|m|h|d|w|y)/gy;
  let ms = 0;
  let pos = 0;
  for (let m = re.exec(t); m; m = re.exec(t)) {
    ms += Number(m[1]) * UNITS[m[2]!]!;
    pos = re.lastIndex;
  }
  return pos === t.length && ms > 0 ? ms : null;
}

/** formatDuration renders milliseconds as the shortest Prometheus duration (`1h30m`). */
export function formatDuration(ms: number): string {
  if (ms <= 0) return '0s';
  let rest = Math.round(ms);
  let out = '';
  for (const u of ['y', 'w', 'd', 'h', 'm', 's', 'ms']) {
    const n = Math.floor(rest / UNITS[u]!);
    if (n > 0) {
      out += `${n}${u}`;
      rest -= n * UNITS[u]!;
    }
  }
  return out;
}

/** autoStep is the step a graph of `rangeMs` gets when none is set: about 250 points, at least 1 s, in whole seconds. */
export function autoStep(rangeMs: number): number {
  return Math.max(1000, Math.round(rangeMs / 250 / 1000) * 1000);
}
