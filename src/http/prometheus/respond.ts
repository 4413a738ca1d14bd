import { promisify } from 'node:util';
import { deflate, gzip } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { statusOf, WorkspaceNotFoundError, type ApiError } from './api-error.js';
import { jsonString, stringArrayJSON } from './gojson.js';

const gzipAsync = promisify(gzip);
const deflateAsync = promisify(deflate);

/** successJSON renders Prometheus's success envelope around pre-rendered data JSON. */
export function successJSON(data: string, warnings: readonly string[] = [], infos: readonly string[] = []): string {
  let out = `{"status":"success","data":${data}`;
  if (warnings.length > 0) out += `,"warnings":${stringArrayJSON(warnings)}`;
  if (infos.length > 0) out += `,"infos":${stringArrayJSON(infos)}`;
  return `${out}}`;
}

/** errorJSON renders Prometheus's error envelope. */
export function errorJSON(err: ApiError): string {
  return `{"status":"error","errorType":"${err.type}","error":${jsonString(err.message)}}`;
}

/** pickEncoding chooses gzip or deflate in the order the client lists them, as Prometheus's CompressionHandler does. */
export function pickEncoding(acceptEncoding: string | undefined): 'gzip' | 'deflate' | null {
  for (const part of (acceptEncoding ?? '').split(',')) {
    const enc = part.trim().split(';')[0]!.trim();
    if (enc === 'gzip') return 'gzip';
    if (enc === 'deflate') return 'deflate';
  }
  return null;
}

/** sendJSON writes a JSON body with a status, compressed when the client accepts it. */
export async function sendJSON(req: FastifyRequest, reply: FastifyReply, status: number, body: string): Promise<FastifyReply> {
  let buf: Buffer = Buffer.from(body, 'utf8');
  const enc = pickEncoding(req.headers['accept-encoding']);
  if (enc === 'gzip') buf = await gzipAsync(buf);
  else if (enc === 'deflate') buf = await deflateAsync(buf);
  if (enc !== null) reply.header('content-encoding', enc);
  reply.header('vary', 'Accept-Encoding');
  return reply.code(status).header('content-type', 'application/json').send(buf);
}

/** sendError writes an ApiError with its status. */
export function sendError(req: FastifyRequest, reply: FastifyReply, err: ApiError): Promise<FastifyReply> {
  if (err instanceof WorkspaceNotFoundError) {
    reply.header('x-amzn-errortype', 'ResourceNotFoundException');
    return sendJSON(req, reply, 404, JSON.stringify({ message: err.message, resourceId: err.workspaceId, resourceType: 'Workspace' }));
  }
  return sendJSON(req, reply, statusOf(err.type), errorJSON(err));
}
