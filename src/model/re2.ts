/** RE2SyntaxError reports a Go RE2 construct that has no JavaScript translation. */
export class RE2SyntaxError extends Error {
  override name = 'RE2SyntaxError';
}

const POSIX_CLASSES: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

function caseFold(ch: string): string {
  const lo = ch.toLowerCase();
  const up = ch.toUpperCase();
  return lo !== up && lo.length === 1 && up.length === 1 ? `[${lo}${up}]` : ch;
}

/**
 * translateRE2 rewrites Go RE2 syntax that JavaScript (Node 20, `u` flag) lacks: scoped and
 * inline flag groups such as `(?i:abc)` and `a(?i)b` (case-folded by hand), `(?P<name>`,
 * `\z`, `\Q...\E`, `\pL` and POSIX classes like `[[:alpha:]]`.
 */
export function translateRE2(pattern: string): string {
  let out = '';
  // One entry per open group: whether case-insensitivity was on outside it.
  const stack: boolean[] = [];
  let fold = false;
  let i = 0;
  const n = pattern.length;
  while (i < n) {
    const c = pattern[i]!;
    if (c === '\\') {
      const next = pattern[i + 1];
      if (next === undefined) throw new RE2SyntaxError('trailing backslash at end of expression');
      if (next === 'z') {
        out += '$';
        i += 2;
      } else if (next === 'Q') {
        const end = pattern.indexOf('\\E', i + 2);
        const lit = pattern.slice(i + 2, end < 0 ? n : end);
        for (const ch of lit) out += fold ? caseFold(ch) : ch.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
        i = end < 0 ? n : end + 2;
      } else if ((next === 'p' || next === 'P') && pattern[i + 2] !== '{') {
        out += `\\${next}{${pattern[i + 2] ?? ''}}`;
        i += 3;
      } else {
        out += c + next;
        i += 2;
      }
      continue;
    }
    if (c === '[') {
      const [cls, end] = translateClass(pattern, i, fold);
      out += cls;
      i = end;
      continue;
    }
    if (c === '(') {
      if (pattern.startsWith('(?P<', i)) {
        stack.push(fold);
        out += '(?<';
        i += 4;
        continue;
      }
      const flags = /^\(\?([imsU-]*)(\)|:)/.exec(pattern.slice(i));
      if (flags && pattern[i + 1] === '?') {
        const [whole, spec, kind] = flags;
        const [on, off = ''] = spec!.split('-');
        if (on!.includes('U') || off.includes('U')) throw new RE2SyntaxError('the U (ungreedy) flag is not supported');
        const nextFold: boolean = on!.includes('i') ? true : off.includes('i') ? false : fold;
        if (kind === ')') {
          fold = nextFold;
        } else {
          stack.push(fold);
          fold = nextFold;
          out += '(?:';
        }
        i += whole!.length;
        continue;
      }
      stack.push(fold);
      out += c;
      i++;
      continue;
    }
    if (c === ')') {
      if (stack.length > 0) fold = stack.pop()!;
      out += c;
      i++;
      continue;
    }
    out += fold ? caseFold(c) : c;
    i++;
  }
  return out;
}

/** translateClass rewrites one bracket expression starting at pattern[start] === '['. */
function translateClass(pattern: string, start: number, fold: boolean): [string, number] {
  let i = start + 1;
  let out = '[';
  if (pattern[i] === '^') {
    out += '^';
    i++;
  }
  if (pattern[i] === ']') {
    out += '\\]';
    i++;
  }
  while (i < pattern.length && pattern[i] !== ']') {
    const posix = /^\[:(\^?)([a-z]+):\]/.exec(pattern.slice(i));
    if (posix) {
      const body = POSIX_CLASSES[posix[2]!];
      if (body === undefined) throw new RE2SyntaxError(`invalid character class range: ${posix[0]}`);
      if (posix[1]) throw new RE2SyntaxError(`negated POSIX class ${posix[0]} is not supported`);
      out += body;
      i += posix[0].length;
      continue;
    }
    const c = pattern[i]!;
    if (c === '\\') {
      out += c + (pattern[i + 1] ?? '');
      i += 2;
      continue;
    }
    const range = /^(.)-([^\]\\])/su.exec(pattern.slice(i));
    if (range) {
      const [whole, lo, hi] = range as unknown as [string, string, string];
      out += `${lo}-${hi}`;
      if (fold && /^[a-zA-Z]$/.test(lo) && /^[a-zA-Z]$/.test(hi)) {
        const other = lo === lo.toLowerCase() ? (x: string) => x.toUpperCase() : (x: string) => x.toLowerCase();
        out += `${other(lo)}-${other(hi)}`;
      }
      i += whole.length;
      continue;
    }
    if (c === '[') out += '\\[';
    else if (fold && c.toLowerCase() !== c.toUpperCase()) out += c.toLowerCase() + c.toUpperCase();
    else out += c;
    i++;
  }
  if (i >= pattern.length) throw new RE2SyntaxError('missing closing ]');
  return [`${out}]`, i + 1];
}
