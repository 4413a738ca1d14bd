import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import type { Logger } from '../../model/logger.js';
import type { RoutePlugin } from '../server.js';
import { loadConsoleAssets, type ConsoleAsset } from './assets.js';

/** CONSOLE_PATH is where the console is served. */
export const CONSOLE_PATH = '/console/';

/** ConsoleOptions say where the built console is. */
export interface ConsoleOptions {
  /** dir is the `vite build` output (index.html and assets/). */
  readonly dir: string;
  readonly logger: Logger;
}

/**
 * consoleRoutes serves the built web console under /console/ without authentication: the assets are
 * public files (every API call the console makes is signed in the browser). Assets are read once at
 * start and sent gzipped to clients that accept it. When the console is not built, /console/ says how
 * to build it.
 */
export function consoleRoutes(opts: ConsoleOptions): RoutePlugin {
  const built = existsSync(join(opts.dir, 'index.html'));
  const assets = built ? loadConsoleAssets(opts.dir) : new Map<string, ConsoleAsset>();
  if (!built) opts.logger.warn({ dir: opts.dir }, 'the console is not built (run `npm run build`); /console/ says so');
  return (app) => {
    app.get('/console', { config: { auth: 'public' } }, async (_req, reply) => reply.redirect(CONSOLE_PATH, 301));
    app.get('/console/*', { config: { auth: 'public' } }, async (req, reply) => {
      if (!built) return reply.code(503).type('text/plain; charset=utf-8').send(`The console is not built: run \`npm run build\` (it writes ${opts.dir}).\n`);
      const rel = ((req.params as { '*': string })['*'] ?? '').split('?')[0]!;
      const asset = assets.get(rel === '' ? 'index.html' : rel);
      if (!asset) return reply.code(404).type('text/plain; charset=utf-8').send('Not found\n');
      return sendAsset(req, reply, asset);
    });
  };
}

function sendAsset(req: FastifyRequest, reply: FastifyReply, asset: ConsoleAsset): FastifyReply {
  reply
    .type(asset.contentType)
    .header('cache-control', asset.immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
    .header('x-content-type-options', 'nosniff')
    .header('vary', 'accept-encoding');
  if (asset.contentType.startsWith('text/html')) {
    // The console talks to this origin only; the policy makes the browser refuse anything else.
    reply.header('content-security-policy', "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'");
  }
  const accepts = String(req.headers['accept-encoding'] ?? '');
  if (asset.gzip && /\bgzip\b/.test(accepts)) return reply.header('content-encoding', 'gzip').send(asset.gzip);
  return reply.send(asset.body);
}

/**
 * browserHomeRedirect sends a browser's plain `GET /` (HTML accepted, no Authorization, no query
 * string) to the console; every other `GET /` stays the IAM/STS query API. It must run before
 * authentication, which would answer STS's XML error.
 */
export function browserHomeRedirect(): onRequestHookHandler {
  return (req, reply, done) => {
    if (req.method === 'GET' && req.url === '/' && req.headers.authorization === undefined && /\btext\/html\b/.test(String(req.headers.accept ?? ''))) {
      void reply.redirect(CONSOLE_PATH, 302);
      return;
    }
    done();
  };
}
