/** StringTest tests a whole label value. */
export type StringTest = (s: string) => boolean;

// Characters with a meaning in Go RE2 syntax; a pattern using any other way than below leaves the fast path.
const META = '\\.+*?()|[]{}^$';
// Escaped ASCII punctuation stands for itself in Go RE2 (`\.` is a dot).
const PUNCT = /^[!-/:-@[-`{-~]$/;

type Token = { kind: 'lit'; text: string } | { kind: 'gap'; min: number } | { kind: 'alt' };

function tokenize(pattern: string): Token[] | null {
  const out: Token[] = [];
  let lit = '';
  const flush = (): void => {
    if (lit !== '') out.push({ kind: 'lit', text: lit });
    lit = '';
  };
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (!META.includes(c)) {
      lit += c;
    } else if (c === '\\') {
      const next = pattern[i + 1];
      if (next === undefined || !PUNCT.test(next)) return null;
      lit += next;
      i++;
    } else if (c === '.' && (pattern[i + 1] === '*' || pattern[i + 1] === '+')) {
      flush();
      out.push({ kind: 'gap', min: pattern[i + 1] === '+' ? 1 : 0 });
      i++;
    } else if (c === '|') {
      flush();
      out.push({ kind: 'alt' });
    } else {
      return null;
    }
  }
  flush();
  // A quantifier right after `.*`/`.+` (`.*?`, `.**`) left the fast path above; so did anything after a literal.
  return out;
}

function alternation(tokens: Token[]): StringTest | null {
  const branches: Token[][] = [[]];
  for (const t of tokens) {
    if (t.kind === 'alt') branches.push([]);
    else branches[branches.length - 1]!.push(t);
  }
  // Plain literals go into one set; branches with `.*` / `.+` are tried in turn after it.
  const literals = new Set<string>();
  const others: StringTest[] = [];
  for (const b of branches) {
    if (b.every((t) => t.kind === 'lit')) literals.add(b.map((t) => (t.kind === 'lit' ? t.text : '')).join(''));
    else {
      const test = gapped(b);
      if (test === null) return null;
      others.push(test);
    }
  }
  if (others.length === 0) return (s) => literals.has(s);
  return (s) => literals.has(s) || others.some((test) => test(s));
}

function gapped(tokens: Token[]): StringTest | null {
  // Normalise to lit (gap lit)*, merging adjacent gaps; a gap needing two or more characters leaves the fast path,
  // since a JavaScript string's length counts UTF-16 units, not code points.
  const lits: string[] = [''];
  const gaps: number[] = [];
  let lastWasGap = false;
  for (const t of tokens) {
    if (t.kind === 'lit') {
      lits[lits.length - 1] += t.text;
      lastWasGap = false;
    } else if (t.kind === 'gap') {
      if (lastWasGap) gaps[gaps.length - 1]! += t.min;
      else {
        gaps.push(t.min);
        lits.push('');
      }
      if (gaps[gaps.length - 1]! > 1) return null;
      lastWasGap = true;
    }
  }
  if (gaps.length === 0) {
    const lit = lits[0]!;
    return (s) => s === lit;
  }
  const prefix = lits[0]!;
  const suffix = lits[lits.length - 1]!;
  const middle = lits.slice(1, -1);
  if (gaps.length === 1 && gaps[0] === 0 && prefix === '' && suffix === '') return () => true;
  return (s) => {
    if (!s.startsWith(prefix) || !s.endsWith(suffix)) return false;
    const end = s.length - suffix.length;
    let pos = prefix.length;
    for (let i = 0; i < middle.length; i++) {
      const at = s.indexOf(middle[i]!, pos + gaps[i]!);
      if (at < 0) return false;
      pos = at + middle[i]!.length;
    }
    return pos + gaps[gaps.length - 1]! <= end;
  };
}

/**
 * fastRegexTest returns a test equivalent to the fully anchored Go RE2 pattern without running a regex engine,
 * or null when the pattern is not one of the shapes Prometheus's FastRegexMatcher also short-cuts: a literal
 * (`foo`, `10\.0\.0\.1`), literals joined by `.*` / `.+` (`http_.*_total`, `.*foo.*`, `foo.+`), or a top-level
 * alternation of those (`node|api`, `api.*|web-.+`), each also after a leading `(?i)` when its text is ASCII.
 * Patterns it accepts are valid RE2, so it may run before compiling.
 */
export function fastRegexTest(pattern: string): StringTest | null {
  if (pattern.startsWith('(?i)')) return foldedTest(pattern.slice(4));
  const tokens = tokenize(pattern);
  if (tokens === null) return null;
  return tokens.some((t) => t.kind === 'alt') ? alternation(tokens) : gapped(tokens);
}

// foldedTest handles `(?i)` before an ASCII-only shape: Go folds an ASCII letter with its other case and, for k and s
// only, with KELVIN SIGN and LATIN SMALL LETTER LONG S; no other character folds to ASCII.
function foldedTest(rest: string): StringTest | null {
  const tokens = tokenize(rest);
  if (tokens === null || tokens.some((t) => t.kind === 'lit' && !/^[\x00-\x7f]*$/.test(t.text))) return null;
  const lowered = tokens.map((t): Token => (t.kind === 'lit' ? { kind: 'lit', text: t.text.toLowerCase() } : t));
  const inner = lowered.some((t) => t.kind === 'alt') ? alternation(lowered) : gapped(lowered);
  return inner && ((s) => inner(foldAscii(s)));
}

function foldAscii(s: string): string {
  let i = 0;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 65 && c <= 90) || c === 0x212a || c === 0x17f) break;
  }
  if (i === s.length) return s;
  let out = s.slice(0, i);
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += c >= 65 && c <= 90 ? String.fromCharCode(c + 32) : c === 0x212a ? 'k' : c === 0x17f ? 's' : s[i];
  }
  return out;
}
