import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Credentials, KeyCredentials } from './credentials';
import { encodeParams, type Params } from './escape';

/** SigningService is the SigV4 signing name: aps for the AMP APIs, iam and sts for the query API at `/`. */
export type SigningService = 'aps' | 'iam' | 'sts';

/** SignedRequest is one API call from the browser to this origin. */
export interface SignedRequest {
  readonly service: SigningService;
  readonly method: string;
  /** path is the URL path on this origin, already escaped (e.g. /workspaces/ws-1/api/v1/query). */
  readonly path: string;
  readonly query?: Params;
  readonly body?: string;
  readonly contentType?: string;
  readonly signal?: AbortSignal;
}

/**
 * signedFetch sends a request to this origin, signed with SigV4 in the browser (the secret never leaves
 * it), or with HTTP basic auth for a service-specific credential.
 */
export async function signedFetch(creds: Credentials, req: SignedRequest): Promise<Response> {
  const headers: Record<string, string> = {};
  if (req.contentType) headers['content-type'] = req.contentType;
  const send = creds.kind === 'key' ? await sigv4Headers(creds, req, headers) : { ...headers, authorization: `Basic ${btoa(`${creds.username}:${creds.password}`)}` };
  const qs = encodeParams(req.query ?? {});
  return fetch(`${window.location.origin}${req.path}${qs ? `?${qs}` : ''}`, {
    method: req.method,
    headers: send,
    ...(req.body !== undefined ? { body: req.body } : {}),
    ...(req.signal ? { signal: req.signal } : {}),
    credentials: 'omit',
    cache: 'no-store',
  });
}

/** sigv4Headers signs a request and returns the headers to send (all but host, which the browser sets). */
async function sigv4Headers(creds: KeyCredentials, req: SignedRequest, base: Record<string, string>): Promise<Record<string, string>> {
  const { protocol, hostname, port, host } = window.location;
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) query[k] = typeof v === 'string' ? v : [...v];
  const headers: Record<string, string> = { ...base, host };
  const signer = new SignatureV4({
    service: req.service,
    region: creds.region,
    sha256: Sha256,
    credentials: { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey, ...(creds.sessionToken ? { sessionToken: creds.sessionToken } : {}) },
  });
  const signed = await signer.sign({
    method: req.method,
    protocol,
    hostname,
    ...(port ? { port: Number(port) } : {}),
    path: req.path,
    query,
    headers,
    ...(req.body !== undefined ? { body: req.body } : {}),
  });
  const send: Record<string, string> = {};
  for (const [k, v] of Object.entries(signed.headers)) if (k.toLowerCase() !== 'host') send[k] = v;
  return send;
}
