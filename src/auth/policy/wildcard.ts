import type { PatternPiece } from './variables.js';

/** Wildcard is a compiled IAM wildcard pattern: one entry per UTF-16 unit, '*' and '?' flagged apart from literal text. */
export interface Wildcard {
  readonly text: string;
  /** kinds[i] is 0 for the literal text[i], 1 for '*' (any run), 2 for '?' (one character). */
  readonly kinds: Uint8Array;
}

/** compileWildcard flattens parsed pattern pieces, case-folding literal text when ignoreCase. */
export function compileWildcard(pieces: readonly PatternPiece[], ignoreCase: boolean): Wildcard {
  let text = '';
  const kinds: number[] = [];
  for (const p of pieces) {
    if (p.kind === 'lit') {
      for (let i = 0; i < p.text.length; i++) {
        text += ignoreCase ? canonicalize(p.text[i]!) : p.text[i]!;
        kinds.push(0);
      }
    } else {
      text += p.kind === 'star' ? '*' : '?';
      kinds.push(p.kind === 'star' ? 1 : 2);
    }
  }
  return { text, kinds: Uint8Array.from(kinds) };
}

// canonicalize folds one UTF-16 unit as a non-Unicode case-insensitive JavaScript RegExp does (ECMA-262 Canonicalize).
function canonicalize(ch: string): string {
  const up = ch.toUpperCase();
  if (up.length !== 1) return ch;
  return ch.charCodeAt(0) >= 128 && up.charCodeAt(0) < 128 ? ch : up;
}

/**
 * wildcardMatch tests a whole value against a compiled pattern in O(value × pattern) time at worst (the
 * greedy two-pointer walk that backs up only to the last '*'), never exponential or high-polynomial as a
 * backtracking RegExp of `a.*a.*a.*b` is.
 */
export function wildcardMatch(w: Wildcard, value: string, ignoreCase: boolean): boolean {
  const m = w.kinds.length;
  const n = value.length;
  let p = 0;
  let s = 0;
  let starP = -1;
  let starS = 0;
  while (s < n) {
    const k = p < m ? w.kinds[p] : -1;
    if (k === 2 || (k === 0 && w.text[p] === (ignoreCase ? canonicalize(value[s]!) : value[s]))) {
      p++;
      s++;
    } else if (k === 1) {
      starP = p++;
      starS = s;
    } else if (starP >= 0) {
      p = starP + 1;
      s = ++starS;
    } else {
      return false;
    }
  }
  while (p < m && w.kinds[p] === 1) p++;
  return p === m;
}
