/** escapeRfc3986 percent-encodes as SigV4's canonical query does (encodeURIComponent plus !'()*). */
export function escapeRfc3986(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Params are query or form parameters; an array repeats the key (match[]). */
export type Params = Record<string, string | readonly string[] | undefined>;

/** encodeParams renders parameters as a query string / form body, RFC 3986-escaped, in the given order. */
export function encodeParams(params: Params): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined) continue;
    for (const one of typeof v === 'string' ? [v] : v) parts.push(`${escapeRfc3986(k)}=${escapeRfc3986(one)}`);
  }
  return parts.join('&');
}
