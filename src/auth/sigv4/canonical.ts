import { createHash, createHmac } from 'node:crypto';
import { uriDecode, uriEncode } from './encode.js';

/** SIGV4_ALGORITHM is the only signing algorithm Amphora verifies. */
export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';
/** UNSIGNED_PAYLOAD is the x-amz-content-sha256 value of a request whose body is not signed. */
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
/** EMPTY_SHA256 is the hex SHA-256 of an empty body. */
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** sha256Hex returns the lower-case hex SHA-256 of data. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** removeDotSegments normalises a path as AWS (non-S3) signers do: drops empty and '.' segments, resolves '..', keeps a leading and trailing '/'. */
export function removeDotSegments(path: string): string {
  if (path === '') return '/';
  const out: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  const lead = path.startsWith('/') ? '/' : '';
  const trail = out.length > 0 && path.endsWith('/') ? '/' : '';
  return lead + out.join('/') + trail;
}

/**
 * canonicalPath builds the CanonicalURI of a non-S3 request from the raw (already percent-encoded) path:
 * dot segments and repeated slashes removed when normalize, then every byte URI-encoded again (so
 * '%2F' becomes '%252F' and a space sent as '%20' becomes '%2520'), '/' kept.
 */
export function canonicalPath(rawPath: string, normalize = true): string {
  const p = normalize ? removeDotSegments(rawPath) : rawPath === '' ? '/' : rawPath;
  return uriEncode(p, true);
}

type Pair = [string, string];

function splitQuery(rawQuery: string): Pair[] {
  const pairs: Pair[] = [];
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    pairs.push(eq < 0 ? [part, ''] : [part.slice(0, eq), part.slice(eq + 1)]);
  }
  return pairs;
}

function comparePairs(a: Pair, b: Pair): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
}

function joinPairs(pairs: readonly Pair[]): string {
  let out = '';
  for (let i = 0; i < pairs.length; i++) out += (i ? '&' : '') + pairs[i]![0] + '=' + pairs[i]![1];
  return out;
}

/**
 * canonicalQuery builds the CanonicalQueryString from a raw query string as AWS specifies it:
 * parameters split on '&', a missing '=' meaning an empty value, names and values decoded ('+' as
 * space unless plusIsSpace is false) and re-encoded with only the unreserved set (A-Z a-z 0-9 - . _ ~)
 * left plain (so a space is %20, '[' is %5B, '+' is %2B), sorted by encoded name then value;
 * `exclude` (exact encoded name) is left out (X-Amz-Signature of a presigned request).
 */
export function canonicalQuery(rawQuery: string, exclude?: string, plusIsSpace = true): string {
  if (rawQuery === '') return '';
  const pairs: Pair[] = [];
  for (const [rawName, rawValue] of splitQuery(rawQuery)) {
    const name = uriEncode(uriDecode(rawName, plusIsSpace), false);
    if (exclude !== undefined && name === exclude) continue;
    pairs.push([name, uriEncode(uriDecode(rawValue, plusIsSpace), false)]);
  }
  return joinPairs(pairs.sort(comparePairs));
}

/**
 * canonicalQueryForms yields, lazily, the canonical query strings real signers compute for a raw query,
 * AWS's own form first, without repeats. The signature covers the query either way (every form is built from
 * the bytes the server parses), so accepting the others lets clients that sign literally verify:
 * 1. AWS's form (canonicalQuery): @smithy/signature-v4, botocore given parameters, the Go SDKs (Grafana, Prometheus);
 * 2. the same with '+' kept as a literal plus (%2B), as curl 8 canonicalises;
 * 3. the query exactly as sent: curl 7.x signs it verbatim (literal `match[]=up`, lower-case `%7b`, '+');
 * 4. the raw parameters sorted, not re-encoded: botocore (awscurl, the AWS CLI) given a URL with a query.
 */
export function* canonicalQueryForms(rawQuery: string, exclude?: string): Generator<string> {
  const first = canonicalQuery(rawQuery, exclude);
  yield first; // the only one computed for requests that verify, as nearly all do
  const seen = new Set([first]);
  const keep = (p: Pair): boolean => exclude === undefined || uriDecode(p[0], true) !== exclude;
  const raw = splitQuery(rawQuery).filter(keep);
  const rest = [() => canonicalQuery(rawQuery, exclude, false), () => joinPairs(raw), () => (exclude === undefined ? rawQuery : null), () => joinPairs([...raw].sort(comparePairs))];
  for (const form of rest) {
    const f = form();
    if (f === null || seen.has(f)) continue;
    seen.add(f);
    yield f;
  }
}

/** canonicalHeaderValue trims a header value and collapses inner runs of spaces and tabs to one space; several values are joined with ','. */
export function canonicalHeaderValue(v: string | readonly string[]): string {
  if (typeof v !== 'string') return v.map((x) => canonicalHeaderValue(x)).join(',');
  return v.replace(/[\r\n]/g, ' ').replace(/[ \t]+/g, ' ').trim();
}

/** HeaderLookup maps lower-case header names to their values as Node gives them. */
export type HeaderLookup = Record<string, string | string[] | undefined>;

/** canonicalHeaders returns the CanonicalHeaders block (each 'name:value\n') for the signed header names; undefined when one is absent. */
export function canonicalHeaders(headers: HeaderLookup, signedHeaders: readonly string[]): { block: string } | { missing: string } {
  let block = '';
  for (const name of signedHeaders) {
    const v = headers[name];
    if (v === undefined) return { missing: name };
    block += name + ':' + canonicalHeaderValue(v) + '\n';
  }
  return { block };
}

/** CanonicalRequestParts are the pieces of a SigV4 canonical request. */
export interface CanonicalRequestParts {
  method: string;
  canonicalUri: string;
  canonicalQuery: string;
  canonicalHeaders: string;
  signedHeaders: string;
  payloadHash: string;
}

/** canonicalRequest joins the parts into the canonical request text. */
export function canonicalRequest(p: CanonicalRequestParts): string {
  return `${p.method}\n${p.canonicalUri}\n${p.canonicalQuery}\n${p.canonicalHeaders}\n${p.signedHeaders}\n${p.payloadHash}`;
}

/** stringToSign builds the SigV4 string to sign from the request time (basic ISO 8601), the credential scope and the canonical request. */
export function stringToSign(amzDate: string, scope: string, canonical: string): string {
  return `${SIGV4_ALGORITHM}\n${amzDate}\n${scope}\n${sha256Hex(canonical)}`;
}

const KEY_CACHE_MAX = 1024;
const keyCache = new Map<string, Buffer>();

/** signingKey derives (and caches per secret, date, region and service) the SigV4 signing key. */
export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  const cacheKey = `${date}\u0000${region}\u0000${service}\u0000${secret}`;
  const hit = keyCache.get(cacheKey);
  if (hit) return hit;
  const kDate = createHmac('sha256', 'AWS4' + secret).update(date).digest();
  const kRegion = createHmac('sha256', kDate).update(region).digest();
  const kService = createHmac('sha256', kRegion).update(service).digest();
  const key = createHmac('sha256', kService).update('aws4_request').digest();
  if (keyCache.size >= KEY_CACHE_MAX) keyCache.delete(keyCache.keys().next().value!);
  keyCache.set(cacheKey, key);
  return key;
}

/** signatureHex returns the hex HMAC-SHA256 of the string to sign under the signing key. */
export function signatureHex(key: Buffer, toSign: string): string {
  return createHmac('sha256', key).update(toSign).digest('hex');
}
