import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { ResolvedConnection } from './connection.js';

/** KubeRequestOptions bound one request to the API server. */
export interface KubeRequestOptions {
  /** timeoutMs aborts a request whose response headers have not arrived in time (watches then stream without a limit). */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

/** kubeGet sends GET <apiServer><path> with the connection's TLS material and bearer token; resolves with the response (headers received). */
export function kubeGet(conn: ResolvedConnection, path: string, opts: KubeRequestOptions = {}): Promise<IncomingMessage> {
  const url = new URL(conn.apiServer + path);
  const token = conn.token();
  const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'amphora-collector' };
  if (token !== undefined) headers['authorization'] = `Bearer ${token}`;
  return new Promise((resolve, reject) => {
    const common = { method: 'GET', headers, ...(opts.signal ? { signal: opts.signal } : {}) };
    const req =
      url.protocol === 'https:'
        ? httpsRequest(url, { ...common, ...(conn.ca !== undefined ? { ca: conn.ca } : {}), ...(conn.cert !== undefined ? { cert: conn.cert } : {}), ...(conn.key !== undefined ? { key: conn.key } : {}), rejectUnauthorized: !conn.insecureSkipVerify })
        : httpRequest(url, common);
    let timer: NodeJS.Timeout | undefined;
    if (opts.timeoutMs !== undefined) timer = setTimeout(() => req.destroy(new Error(`no answer within ${opts.timeoutMs} ms`)), opts.timeoutMs);
    req.on('response', (res) => {
      if (timer) clearTimeout(timer);
      resolve(res);
    });
    req.on('error', (err) => {
      if (timer) clearTimeout(timer);
      reject(err);
    });
    req.end();
  });
}

/** readBody collects a response body up to maxBytes (throws beyond). */
export async function readBody(res: IncomingMessage, maxBytes = 64 << 20): Promise<string> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of res) {
    n += (c as Buffer).length;
    if (n > maxBytes) {
      res.destroy();
      throw new Error(`response larger than ${maxBytes} bytes`);
    }
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
