import { expandPattern, type VarLookup } from './variables.js';
import { compileWildcard, wildcardMatch, type Wildcard } from './wildcard.js';

const cache = new Map<string, Wildcard>();
const CACHE_MAX = 4096;

/** globMatch matches value against an IAM wildcard pattern ('*' any run, '?' one character), with policy variables when vars is given. */
export function globMatch(pattern: string, value: string, ignoreCase: boolean, vars: VarLookup | null): boolean {
  if (pattern === '*') return true;
  const hasVars = vars !== null && pattern.indexOf('${') >= 0;
  if (!hasVars && pattern.indexOf('*') < 0 && pattern.indexOf('?') < 0) {
    return ignoreCase ? pattern.toLowerCase() === value.toLowerCase() : pattern === value;
  }
  if (!hasVars) {
    const key = (ignoreCase ? 'i' : 's') + pattern;
    let w = cache.get(key);
    if (!w) {
      w = compileWildcard(expandPattern(pattern, null, true)!, ignoreCase);
      if (cache.size >= CACHE_MAX) cache.clear();
      cache.set(key, w);
    }
    return wildcardMatch(w, value, ignoreCase);
  }
  const pieces = expandPattern(pattern, vars, true);
  return pieces !== null && wildcardMatch(compileWildcard(pieces, ignoreCase), value, ignoreCase);
}

/** splitArn splits an ARN (or ARN pattern) into its six components, keeping ':' inside the resource and inside '${...}'; null when it has fewer than six. */
export function splitArn(s: string): string[] | null {
  const parts: string[] = [];
  let start = 0;
  let depth = 0;
  for (let i = 0; i < s.length && parts.length < 5; i++) {
    const c = s[i];
    if (c === '$' && s[i + 1] === '{') depth++;
    else if (c === '}' && depth > 0) depth--;
    else if (c === ':' && depth === 0) {
      parts.push(s.slice(start, i));
      start = i + 1;
    }
  }
  if (parts.length < 5) return null;
  parts.push(s.slice(start));
  return parts;
}

/**
 * arnMatch matches an ARN against an ARN pattern component by component (partition, service, region,
 * account, resource), each with '*' and '?' wildcards, case-sensitively; a wildcard does not cross the
 * ':' between components. A pattern with fewer components (e.g. 'arn:aws:*') lets its last one match the rest.
 */
export function arnMatch(pattern: string, value: string, vars: VarLookup | null): boolean {
  if (pattern === '*') return true;
  const v = splitArn(value);
  if (!v) return false;
  const p = splitArn(pattern) ?? splitShort(pattern);
  const last = p.length - 1;
  if (last < 1) return false;
  for (let i = 0; i < last; i++) if (!globMatch(p[i]!, v[i]!, false, vars)) return false;
  return globMatch(p[last]!, last === 5 ? v[5]! : v.slice(last).join(':'), false, vars);
}

function splitShort(pattern: string): string[] {
  const parts: string[] = [];
  let start = 0;
  let depth = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '$' && pattern[i + 1] === '{') depth++;
    else if (c === '}' && depth > 0) depth--;
    else if (c === ':' && depth === 0) {
      parts.push(pattern.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(pattern.slice(start));
  return parts;
}
