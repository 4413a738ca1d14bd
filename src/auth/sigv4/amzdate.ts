/** parseAmzDate parses an ISO 8601 basic date-time ('20150830T123600Z') into epoch milliseconds, or null when malformed. */
export function parseAmzDate(s: string): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  if (!m) return null;
  const [y, mo, d, h, mi, se] = [+m[1]!, +m[2]!, +m[3]!, +m[4]!, +m[5]!, +m[6]!];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) return null;
  const t = Date.UTC(y, mo - 1, d, h, mi, se);
  const back = new Date(t);
  if (back.getUTCDate() !== d) return null; // 20150231 and friends
  return t;
}

/** formatAmzDate formats epoch milliseconds as an ISO 8601 basic date-time ('20150830T123600Z'). */
export function formatAmzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
}

/** httpDateToAmzDate converts an HTTP Date header (RFC 7231) to the basic ISO 8601 form, or null when unparseable. */
export function httpDateToAmzDate(s: string): string | null {
  const t = Date.parse(s);
  return Number.isFinite(t) ? formatAmzDate(t) : null;
}
