import type { FastifyRequest } from 'fastify';
import type { SigV4Request } from '../sigv4/request.js';

/** toSigV4Request presents a Fastify request to the SigV4 verifier: raw url, raw (distinct) headers and the raw body Buffer. */
export function toSigV4Request(req: FastifyRequest): SigV4Request {
  const url = req.raw.url ?? req.url;
  const q = url.indexOf('?');
  const body = req.body;
  return {
    method: req.method,
    path: q < 0 ? url : url.slice(0, q),
    query: q < 0 ? '' : url.slice(q + 1),
    headers: req.raw.headersDistinct,
    body: Buffer.isBuffer(body) ? body : body === undefined || body === null ? new Uint8Array(0) : Buffer.from(String(body)),
  };
}

/** isSigned tells whether a request carries SigV4 authentication (Authorization header or presigned query). */
export function isSigned(req: SigV4Request): boolean {
  if (req.headers['authorization'] !== undefined) return true;
  return /(^|&)X-Amz-Algorithm=/i.test(req.query);
}

/** queryProtocolParams returns the parameters of a query-protocol request: the URL query, then a form-encoded body. */
export function queryProtocolParams(req: FastifyRequest): URLSearchParams {
  const url = req.raw.url ?? req.url;
  const q = url.indexOf('?');
  const params = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
  const body = req.body;
  const type = String(req.headers['content-type'] ?? '');
  if (Buffer.isBuffer(body) && body.length > 0 && (type === '' || type.startsWith('application/x-www-form-urlencoded'))) {
    for (const [k, v] of new URLSearchParams(body.toString('utf8'))) params.append(k, v);
  }
  return params;
}
