import { RE2JS, RE2JSSyntaxException } from 're2js';

/** RE2SyntaxError reports a pattern Go's regexp/syntax rejects; its message is Go's text ("error parsing regexp: ..."). */
export class RE2SyntaxError extends Error {
  override name = 'RE2SyntaxError';
}

/** Submatches is one match's groups as Go's FindStringSubmatch gives them: [0] is the whole match, undefined for a group that did not take part. */
export interface Submatches {
  readonly length: number;
  readonly [index: number]: string | undefined;
  /** groups maps each named group to its text. */
  readonly groups?: Readonly<Record<string, string | undefined>>;
}

/** RE2Regex is a compiled Go RE2 pattern matched against whole strings in linear time. */
export interface RE2Regex {
  /** test reports whether the pattern matches all of s. */
  test(s: string): boolean;
  /** exec matches all of s and returns its submatches, or null. */
  exec(s: string): Submatches | null;
}

/**
 * compileRE2 compiles a Go RE2 pattern (regexp/syntax's Perl flags plus `s`, so `.` matches newline) with
 * re2js, a port of RE2 whose matching time is linear in the input. Matching is anchored at both ends, as
 * Prometheus compiles `^(?s:pattern)$`. Constructs RE2 lacks (lookaround, backreferences, possessive and
 * atomic groups) throw RE2SyntaxError with Go's message.
 */
export function compileRE2(pattern: string): RE2Regex {
  let re: RE2JS;
  try {
    re = RE2JS.compile(pattern, RE2JS.DOTALL);
  } catch (err) {
    throw new RE2SyntaxError(syntaxMessage(pattern, err));
  }
  const names = Object.entries(re.namedGroups());
  const groupCount = re.groupCount();
  return {
    test: (s) => re.testExact(s),
    exec: (s) => {
      const m = re.matcher(s);
      if (!m.matches()) return null;
      const out: (string | undefined)[] & { groups?: Record<string, string | undefined> } = [];
      for (let i = 0; i <= groupCount; i++) out.push(m.group(i) ?? undefined);
      if (names.length > 0) {
        const groups: Record<string, string | undefined> = Object.create(null);
        for (const [name, i] of names) groups[name] = out[i];
        out.groups = groups;
      }
      return out;
    },
  };
}

// re2js applies DOTALL by prefixing `(?s)`, which its error text would quote; compiling the bare pattern gives Go's text for it.
function syntaxMessage(pattern: string, err: unknown): string {
  try {
    RE2JS.compile(pattern);
  } catch (bare) {
    err = bare;
  }
  // Go's Error() always quotes the offending text, even when it is empty (a trailing backslash).
  if (err instanceof RE2JSSyntaxException) return `error parsing regexp: ${err.error}: \`${err.input ?? ''}\``;
  const msg = err instanceof Error ? err.message : String(err);
  return msg.startsWith('error parsing regexp: ') ? msg : `error parsing regexp: ${msg}`;
}
