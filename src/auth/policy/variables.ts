/** VarLookup resolves a policy variable name (case-insensitive condition key) to its single string value, or undefined. */
export type VarLookup = (name: string) => string | undefined;

/** PatternPiece is a literal run or a wildcard of a parsed pattern. */
export type PatternPiece = { kind: 'lit'; text: string } | { kind: 'star' } | { kind: 'one' };

const SPECIAL: Record<string, string> = { '*': '*', '?': '?', $: '$' };

/**
 * expandPattern splits a policy string into literal text and wildcards, substituting policy variables
 * (`${aws:username}`, `${aws:PrincipalTag/team, 'default'}`, and `${*}`, `${?}`, `${$}` for literal
 * characters) when vars is given. Substituted text is always literal. Returns null when a variable has
 * no value and no default: the string then matches nothing, as in IAM.
 */
export function expandPattern(s: string, vars: VarLookup | null, wildcards: boolean): PatternPiece[] | null {
  const out: PatternPiece[] = [];
  let lit = '';
  const flush = (): void => {
    if (lit !== '') out.push({ kind: 'lit', text: lit });
    lit = '';
  };
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (vars && c === '$' && s[i + 1] === '{') {
      const end = s.indexOf('}', i + 2);
      if (end > 0) {
        const body = s.slice(i + 2, end);
        const value = resolveVariable(body, vars);
        if (value === undefined) return null;
        lit += value;
        i = end;
        continue;
      }
    }
    if (wildcards && c === '*') {
      flush();
      out.push({ kind: 'star' });
    } else if (wildcards && c === '?') {
      flush();
      out.push({ kind: 'one' });
    } else lit += c;
  }
  flush();
  return out;
}

function resolveVariable(body: string, vars: VarLookup): string | undefined {
  const trimmed = body.trim();
  if (SPECIAL[trimmed] !== undefined) return SPECIAL[trimmed];
  const comma = trimmed.indexOf(',');
  if (comma < 0) return vars(trimmed);
  const name = trimmed.slice(0, comma).trim();
  const def = /^'(.*)'$/.exec(trimmed.slice(comma + 1).trim());
  const v = vars(name);
  return v !== undefined ? v : def ? def[1] : undefined;
}

/** expandLiteral substitutes policy variables in s with no wildcard meaning; null when a variable has no value. */
export function expandLiteral(s: string, vars: VarLookup | null): string | null {
  if (!vars || s.indexOf('${') < 0) return s;
  const pieces = expandPattern(s, vars, false);
  if (!pieces) return null;
  let out = '';
  for (const p of pieces) if (p.kind === 'lit') out += p.text;
  return out;
}
