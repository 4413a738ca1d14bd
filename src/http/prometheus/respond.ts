import { promisify } from 'node:util';
import { Readable } from 'node:stream';
import { constants, createDeflate, createGzip, deflate, deflateSync, gzip, gzipSync, type ZlibOptions } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { statusOf, WorkspaceNotFoundError, type ApiError } from './api-error.js';
import { jsonString, stringArrayJSON } from './gojson.js';
import type { JSONSink } from './values.js';

const gzipAsync = promisify(gzip);
const deflateAsync = promisify(deflate);

/**
 * ZLIB_OPTIONS compress query answers at zlib's fastest level: on JSON bodies it costs about 40% of
 * the CPU of the default level 6 for output about 10% larger, and responses go to clients near by.
 */
const ZLIB_OPTIONS: ZlibOptions = { level: constants.Z_BEST_SPEED };

/** SYNC_COMPRESS_BYTES is the body size up to which compression runs in place (well under a millisecond at level 1) rather than on the thread pool. */
const SYNC_COMPRESS_BYTES = 32 * 1024;

/** writeSuccess renders Prometheus's success envelope into out, the data rendered by writeData. */
export function writeSuccess(out: JSONSink, writeData: (out: JSONSink) => void, warnings: readonly string[] = [], infos: readonly string[] = []): void {
  out('{"status":"success","data":');
  writeData(out);
  if (warnings.length > 0) out(`,"warnings":${stringArrayJSON(warnings)}`);
  if (infos.length > 0) out(`,"infos":${stringArrayJSON(infos)}`);
  out('}');
}

/** successJSON renders Prometheus's success envelope around pre-rendered data JSON. */
export function successJSON(data: string, warnings: readonly string[] = [], infos: readonly string[] = []): string {
  let text = '';
  writeSuccess((s) => (text += s), (out) => out(data), warnings, infos);
  return text;
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
export async function sendJSON(req: FastifyRequest, reply: FastifyReply, status: number, body: string | Buffer): Promise<FastifyReply> {
  let buf: Buffer = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const enc = pickEncoding(req.headers['accept-encoding']);
  const small = buf.length <= SYNC_COMPRESS_BYTES;
  if (enc === 'gzip') buf = small ? gzipSync(buf, ZLIB_OPTIONS) : await gzipAsync(buf, ZLIB_OPTIONS);
  else if (enc === 'deflate') buf = small ? deflateSync(buf, ZLIB_OPTIONS) : await deflateAsync(buf, ZLIB_OPTIONS);
  if (enc !== null) reply.header('content-encoding', enc);
  reply.header('vary', 'Accept-Encoding');
  return reply.code(status).header('content-type', 'application/json').send(buf);
}

/**
 * sendBody writes a JSON body given in pieces (a query worker's rendering) as a stream,
 * compressed on the fly when the client accepts it; small bodies go out in one piece.
 */
export async function sendBody(req: FastifyRequest, reply: FastifyReply, status: number, chunks: readonly Uint8Array[]): Promise<FastifyReply> {
  let total = 0;
  for (const c of chunks) total += c.length;
  if (total <= 64 * 1024) return sendJSON(req, reply, status, Buffer.concat(chunks));
  const enc = pickEncoding(req.headers['accept-encoding']);
  const source = Readable.from(chunks.map((c) => Buffer.from(c.buffer, c.byteOffset, c.length)));
  reply.header('vary', 'Accept-Encoding').header('content-type', 'application/json').code(status);
  if (enc === null) return reply.header('content-length', total).send(source);
  reply.header('content-encoding', enc);
  return reply.send(source.pipe(enc === 'gzip' ? createGzip(ZLIB_OPTIONS) : createDeflate(ZLIB_OPTIONS)));
}

/** sendError writes an ApiError with its status. */
export function sendError(req: FastifyRequest, reply: FastifyReply, err: ApiError): Promise<FastifyReply> {
  if (err instanceof WorkspaceNotFoundError) {
    reply.header('x-amzn-errortype', 'ResourceNotFoundException');
    return sendJSON(req, reply, 404, JSON.stringify({ message: err.message, resourceId: err.workspaceId, resourceType: 'Workspace' }));
  }
  return sendJSON(req, reply, statusOf(err.type), errorJSON(err));
}
