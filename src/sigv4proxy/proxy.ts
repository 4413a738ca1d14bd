import { request as httpRequest, createServer, type IncomingMessage, type OutgoingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream/promises';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Logger } from '../model/logger.js';
import type { CredentialSource } from './credentials.js';

/** SigV4ProxyOptions configure startSigV4Proxy. */
export interface SigV4ProxyOptions {
  /** listen is host:port (port 0 picks a free one). */
  listen: string;
  /** upstream is the base URL requests are forwarded to (http or https); its path is prefixed to request paths. */
  upstream: string;
  region: string;
  service: string;
  credentials: CredentialSource;
  logger: Logger;
  now?: () => number;
  /** unsignedPayload streams bodies unbuffered, signed as UNSIGNED-PAYLOAD (only for upstreams that accept it; aps, iam and sts refuse it). Default: bodies are buffered (up to maxBodyBytes) and their SHA-256 signed. */
  unsignedPayload?: boolean;
  /** maxBodyBytes bounds a buffered body (default 64 MiB); larger ones answer 413. */
  maxBodyBytes?: number;
}

/** RunningSigV4Proxy is a listening proxy. */
export interface RunningSigV4Proxy {
  /** url is the proxy's base URL, e.g. http://127.0.0.1:8005. */
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** HOP_BY_HOP are the headers that describe one connection and are not forwarded (RFC 9110 7.6.1). */
const HOP_BY_HOP: readonly string[] = ['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade'];

/** REQUEST_DROPPED are the request headers not forwarded: hop-by-hop, Host (rewritten) and any signature the client sent. */
const REQUEST_DROPPED: ReadonlySet<string> = new Set([
  ...HOP_BY_HOP,
  'host',
  'authorization',
  'x-amz-date',
  'x-amz-security-token',
  'x-amz-content-sha256',
]);
const RESPONSE_DROPPED: ReadonlySet<string> = new Set(HOP_BY_HOP);

function forwardedHeaders(headers: IncomingMessage['headers'], dropped: ReadonlySet<string>): Record<string, string> {
  const named = new Set(String(headers['connection'] ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean));
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined || dropped.has(k) || named.has(k)) continue;
    out[k] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

function queryObject(rawQuery: string): Record<string, string | string[]> {
  const q: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(rawQuery)) {
    const prev = q[k];
    q[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return q;
}

/** readBody collects a request body, or null past max bytes. */
async function readBody(req: IncomingMessage, max: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    n += c.length;
    if (n > max) return null;
    chunks.push(c);
  }
  return Buffer.concat(chunks);
}

function fail(res: ServerResponse, status: number, message: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(`amphora sigv4-proxy: ${message}\n`);
}

/**
 * startSigV4Proxy listens and forwards every request to the upstream, signed with SigV4
 * (@smithy/signature-v4) with the current credentials of the chain: the request body is buffered
 * and its SHA-256 signed, as aps requires (or, with unsignedPayload, streamed through unbuffered
 * and signed as UNSIGNED-PAYLOAD), the response streamed back; hop-by-hop headers
 * and any signature the client sent are dropped, Host is the upstream's.
 */
export async function startSigV4Proxy(o: SigV4ProxyOptions): Promise<RunningSigV4Proxy> {
  const upstream = new URL(o.upstream);
  if (upstream.protocol !== 'http:' && upstream.protocol !== 'https:') throw new Error(`--upstream must be an http:// or https:// URL, got ${o.upstream}`);
  const basePath = upstream.pathname.replace(/\/$/, '');
  const send = upstream.protocol === 'https:' ? httpsRequest : httpRequest;
  const signers = new Map<string, SignatureV4>();
  const signerFor = (c: Awaited<ReturnType<CredentialSource['get']>>): SignatureV4 => {
    const key = `${c.accessKeyId}\u0000${c.sessionToken ?? ''}`;
    let s = signers.get(key);
    if (!s) {
      signers.clear();
      s = new SignatureV4({ service: o.service, region: o.region, sha256: Hash.bind(null, 'sha256'), credentials: { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, ...(c.sessionToken ? { sessionToken: c.sessionToken } : {}) } });
      signers.set(key, s);
    }
    return s;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const raw = req.url ?? '/';
    const q = raw.indexOf('?');
    const path = basePath + (q < 0 ? raw : raw.slice(0, q));
    const rawQuery = q < 0 ? '' : raw.slice(q + 1);
    let creds;
    try {
      creds = await o.credentials.get();
    } catch (e) {
      o.logger.error({ err: (e as Error).message }, 'sigv4-proxy: no credentials to sign with');
      return fail(res, 500, (e as Error).message);
    }
    const headers: Record<string, string> = { ...forwardedHeaders(req.headers, REQUEST_DROPPED), host: upstream.host };
    let body: Buffer | undefined;
    if (!o.unsignedPayload) {
      const read = await readBody(req, o.maxBodyBytes ?? 64 << 20);
      if (read === null) return fail(res, 413, `request body larger than ${o.maxBodyBytes ?? 64 << 20} bytes (bodies are buffered to sign their SHA-256)`);
      body = read;
      headers['content-length'] = String(read.length);
    } else {
      headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
    }
    const signed = await signerFor(creds).sign(
      { method: req.method ?? 'GET', protocol: upstream.protocol, hostname: upstream.hostname, ...(upstream.port ? { port: Number(upstream.port) } : {}), path, query: queryObject(rawQuery), headers, ...(body ? { body } : {}) },
      o.now ? { signingDate: new Date(o.now()) } : {},
    );
    const out = send({
      protocol: upstream.protocol,
      hostname: upstream.hostname,
      port: upstream.port || (upstream.protocol === 'https:' ? 443 : 80),
      method: req.method,
      path: path + (q < 0 ? '' : `?${rawQuery}`),
      headers: signed.headers as OutgoingHttpHeaders,
    });
    out.on('response', (up) => {
      res.writeHead(up.statusCode ?? 502, up.statusMessage, forwardedHeaders(up.headers, RESPONSE_DROPPED));
      pipeline(up, res).catch(() => res.destroy());
    });
    out.on('error', (e) => {
      o.logger.warn({ err: e.message, upstream: upstream.origin, method: req.method, path }, 'sigv4-proxy: upstream request failed');
      fail(res, 502, `upstream ${upstream.origin} failed: ${e.message}`);
    });
    if (body) out.end(body);
    else req.pipe(out);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      o.logger.error({ err: (e as Error).message }, 'sigv4-proxy: request failed');
      fail(res, 502, (e as Error).message);
    });
  });
  const { host, port } = parseListen(o.listen);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const url = `http://${addr.family === 'IPv6' ? `[${addr.address}]` : addr.address}:${addr.port}`;
  return { url, server, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** parseListen splits host:port (IPv6 in brackets); throws on a missing or bad port. */
export function parseListen(listen: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(listen);
  if (!m) throw new Error(`--listen must be host:port, got '${listen}'`);
  const port = Number(m[3]);
  if (port > 65535) throw new Error(`--listen port out of range: ${listen}`);
  return { host: m[1] ?? (m[2] || '127.0.0.1'), port };
}
