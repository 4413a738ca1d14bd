import type { FastifyRequest } from 'fastify';
import type { SigV4Request } from '../sigv4/request.js';

/** toHeaderRequest presents a Fastify request to the SigV4 verifier before its body is read: raw url, raw (distinct) headers, body null. */
export function toHeaderRequest(req: FastifyRequest): SigV4Request {
  const url = req.raw.url ?? req.url;
  const q = url.indexOf('?');
  return {
    method: req.method,
    path: q < 0 ? url : url.slice(0, q),
    query: q < 0 ? '' : url.slice(q + 1),
    headers: req.raw.headersDistinct,
    body: null,
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
