import Fastify, { type FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import type { Principal } from '../../http/route-auth.js';
import type { SqliteIdentityStore } from '../store/identity-store.js';
import { handleIamAction, type IamAuthorize } from './iam-actions.js';
import { parseQueryProtocol } from './params.js';

/** IamTestServer is a listening Fastify app serving handleIamAction on POST / without authentication (tests only). */
export interface IamTestServer {
  app: FastifyInstance;
  endpoint: string;
  close(): Promise<void>;
}

/** startIamTestServer serves the IAM query API for SDK/CLI tests: POST / form bodies, a fixed caller, and an injectable authorize. */
export async function startIamTestServer(store: SqliteIdentityStore, options: { caller?: Principal; authorize?: IamAuthorize } = {}): Promise<IamTestServer> {
  const app = Fastify({ logger: false });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  const caller = options.caller ?? store.rootPrincipal();
  const authorize = options.authorize ?? ((): void => {});
  app.route({
    method: ['GET', 'POST'],
    url: '/',
    handler: async (req, reply) => {
      const q = req.url.indexOf('?');
      const params = parseQueryProtocol(req.body as Buffer | undefined, q < 0 ? '' : req.url.slice(q + 1));
      const res = handleIamAction(store, authorize, params, { caller });
      return reply.code(res.status).type('text/xml').send(res.xml);
    },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as AddressInfo).port;
  return { app, endpoint: `http://127.0.0.1:${port}`, close: () => app.close() };
}
