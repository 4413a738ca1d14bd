/** SigV4Request is an HTTP request as the verifier needs it. */
export interface SigV4Request {
  method: string;
  /** path is the raw path as received, percent-encoded, without the query. */
  path: string;
  /** query is the raw query string without '?'. */
  query: string;
  /**
   * headers have lower-case names as Node gives them. Pass `req.headersDistinct` (arrays) for exact
   * AWS semantics with repeated headers (joined with ','); Node's `req.headers` joins them with ', '.
   */
  headers: Record<string, string | string[] | undefined>;
  /** body is the whole body, or null when it is streamed; then x-amz-content-sha256 must be present. */
  body: Uint8Array | null;
}
