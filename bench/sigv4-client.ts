// A client-side SigV4 signer for the benchmarks' load generators, composed from the server's own
// canonical-request pieces (src/auth/sigv4/canonical.ts) so nothing is written twice; the signing
// key is derived once per day. measureSigningCost compares it with the AWS SDK's signer.

import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { formatAmzDate } from '../src/auth/sigv4/amzdate.js';
import { canonicalPath, canonicalQuery, canonicalRequest, sha256Hex, signatureHex, signingKey, stringToSign, SIGV4_ALGORITHM } from '../src/auth/sigv4/canonical.js';

/** Credentials are an access key pair. */
export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** SignInput is one request to sign: an absolute URL (path and query already percent-encoded), method, extra headers and body. */
export interface SignInput {
  readonly method: string;
  readonly url: URL;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array;
}

/** SignerOptions name the credentials, region and service (default us-east-1, aps) and the clock. */
export interface SignerOptions {
  readonly credentials: Credentials;
  readonly region?: string;
  readonly service?: string;
  readonly now?: () => number;
}

/** sigv4Headers returns the headers to send (the input's plus x-amz-date, x-amz-content-sha256 and authorization); the body's SHA-256 is signed. */
export function sigv4Headers(o: SignerOptions, req: SignInput): Record<string, string> {
  const region = o.region ?? 'us-east-1';
  const service = o.service ?? 'aps';
  const amzDate = formatAmzDate((o.now ?? Date.now)());
  const payloadHash = sha256Hex(req.body ?? '');
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers ?? {})) headers[k.toLowerCase()] = v;
  headers.host = req.url.host;
  headers['x-amz-date'] = amzDate;
  headers['x-amz-content-sha256'] = payloadHash;
  const names = Object.keys(headers).sort();
  let block = '';
  for (const n of names) block += `${n}:${headers[n]!.trim()}\n`;
  const signed = names.join(';');
  const canonical = canonicalRequest({
    method: req.method,
    canonicalUri: canonicalPath(req.url.pathname),
    canonicalQuery: canonicalQuery(req.url.search.slice(1)),
    canonicalHeaders: block,
    signedHeaders: signed,
    payloadHash,
  });
  const day = amzDate.slice(0, 8);
  const scope = `${day}/${region}/${service}/aws4_request`;
  const signature = signatureHex(signingKey(o.credentials.secretAccessKey, day, region, service), stringToSign(amzDate, scope, canonical));
  delete headers.host;
  headers.authorization = `${SIGV4_ALGORITHM} Credential=${o.credentials.accessKeyId}/${scope}, SignedHeaders=${signed}, Signature=${signature}`;
  return headers;
}

/** signedFetch sends one request signed with sigv4Headers. */
export function signedFetch(o: SignerOptions, req: SignInput, init: { signal?: AbortSignal } = {}): Promise<Response> {
  return fetch(req.url, { method: req.method, headers: sigv4Headers(o, req), body: req.body, signal: init.signal });
}

/** measureSigningCost times this signer and @smithy/signature-v4 on a query GET and a 12 kB remote-write body (µs per signature after warm-up, median of five batches). */
export async function measureSigningCost(credentials: Credentials): Promise<Record<string, number>> {
  const url = new URL('http://127.0.0.1:8080/workspaces/ws-00000000-0000-0000-0000-000000000000/api/v1/query_range?query=sum%20by%20(mode)%20(rate(node_cpu_seconds_total%5B5m%5D))&start=1700000000&end=1700003600&step=15');
  const body = new Uint8Array(12_000).fill(7);
  const smithy = new SignatureV4({ service: 'aps', region: 'us-east-1', sha256: Hash.bind(null, 'sha256'), credentials });
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = v;
  const viaSmithy = async (b?: Uint8Array): Promise<void> => {
    await smithy.sign({ method: b ? 'POST' : 'GET', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: url.pathname, query, headers: { host: url.host }, body: b });
  };
  const viaHand = (b?: Uint8Array): void => {
    sigv4Headers({ credentials }, { method: b ? 'POST' : 'GET', url, body: b });
  };
  const time = async (f: () => unknown, n = 2000): Promise<number> => {
    for (let i = 0; i < n / 4; i++) await f();
    const batches: number[] = [];
    for (let k = 0; k < 5; k++) {
      const t0 = performance.now();
      for (let i = 0; i < n / 5; i++) await f();
      batches.push(((performance.now() - t0) * 1000) / (n / 5));
    }
    batches.sort((a, b) => a - b);
    return Math.round(batches[2]! * 10) / 10;
  };
  return {
    hand_query_us: await time(() => viaHand()),
    smithy_query_us: await time(() => viaSmithy()),
    hand_write_12kb_us: await time(() => viaHand(body)),
    smithy_write_12kb_us: await time(() => viaSmithy(body)),
  };
}
