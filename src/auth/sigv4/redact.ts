/** MAX_ECHO_CHARS bounds how much of a client-supplied value an error message or log line repeats. */
export const MAX_ECHO_CHARS = 256;

/** truncateEcho shortens a client-supplied value for an error message or log line, saying how long it was. */
export function truncateEcho(s: string, max: number = MAX_ECHO_CHARS): string {
  return s.length <= max ? s : `${s.slice(0, max)}… (${s.length} characters)`;
}

/** redactAuthorization hides the signature of an Authorization header value and truncates it, for echoing in errors and logs. */
export function redactAuthorization(header: string): string {
  return truncateEcho(header.replace(/(Signature\s*=\s*)[^,\s]*/gi, '$1<redacted>'));
}
