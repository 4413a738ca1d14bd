import type { Submatches } from '../../model/re2.js';

/** expandGoTemplate expands $1, ${1}, $name and $$ in a replacement as Go's regexp.Expand does. */
export function expandGoTemplate(template: string, match: Submatches): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const c = template[i]!;
    if (c !== '$') {
      out += c;
      i++;
      continue;
    }
    i++;
    if (template[i] === '$') {
      out += '$';
      i++;
      continue;
    }
    let name = '';
    let braced = false;
    if (template[i] === '{') {
      const close = template.indexOf('}', i);
      name = close < 0 ? '' : template.slice(i + 1, close);
      if (close < 0 || !/^[A-Za-z0-9_]+$/.test(name)) {
        out += '$';
        continue;
      }
      braced = true;
      i = close + 1;
    } else {
      const m = /^[A-Za-z0-9_]+/.exec(template.slice(i));
      if (!m) {
        out += '$';
        continue;
      }
      name = m[0];
      i += name.length;
    }
    void braced;
    if (/^\d+$/.test(name)) {
      const n = Number(name);
      out += n < match.length ? (match[n] ?? '') : '';
    } else {
      out += match.groups?.[name] ?? '';
    }
  }
  return out;
}

/** naturalLess compares strings in natural order (digit runs compared numerically). */
export function naturalLess(a: string, b: string): boolean {
  const re = /(\d+|\D+)/g;
  const xa = a.match(re) ?? [];
  const xb = b.match(re) ?? [];
  for (let i = 0; i < Math.min(xa.length, xb.length); i++) {
    const x = xa[i]!;
    const y = xb[i]!;
    if (x === y) continue;
    const xd = /^\d/.test(x);
    const yd = /^\d/.test(y);
    if (xd && yd) {
      const nx = BigInt(x);
      const ny = BigInt(y);
      if (nx !== ny) return nx < ny;
      return x.length < y.length;
    }
    return x < y;
  }
  return xa.length < xb.length;
}
