import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from '../model/logger.js';
import type { WorkspaceStorage } from '../tsdb/workspaces.js';

/** ServerDeps are the modules the HTTP layer serves. */
export interface ServerDeps {
  storage: WorkspaceStorage;
  logger: Logger;
}

/** buildServer wires the HTTP routes; modules not built yet answer a clear error in the client's error shape. */
export function buildServer(deps: ServerDeps): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: 64 * 1024 * 1024 });

  app.get('/-/healthy', async (_req, reply) => reply.type('text/plain').send('Amphora is Healthy.\n'));

  app.get('/-/ready', async (_req, reply) => {
    const corruptBlocks = await deps.storage.corruptBlocks();
    return reply.send({ status: 'ready', corruptBlocks });
  });

  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0]!;
    deps.logger.warn({ method: req.method, path }, 'request for an API that is not built yet');
    if (/^\/workspaces\/[^/]+\/(api|alertmanager)\//.test(path)) {
      return reply.code(501).send({ status: 'error', errorType: 'unavailable', error: `${req.method} ${path} is not implemented yet in this Amphora build` });
    }
    return reply
      .code(501)
      .header('x-amzn-errortype', 'NotImplementedException')
      .send({ message: `${req.method} ${path} is not implemented yet in this Amphora build` });
  });

  return app;
}
