import type { Server as TlsServer } from 'node:tls';
import { buildServer, type RoutePlugin } from '../../http/server.js';
import { browserHomeRedirect } from '../../http/console/routes.js';
import { loadTls } from '../../http/tls/options.js';
import { reloadTlsOnSighup } from '../../http/tls/reload.js';
import type { ModuleDefinition } from '../modules.js';
import type { AmphoraEnv, AmphoraModules } from '../services.js';

/** ROUTE_MODULES are the modules whose routes the server registers when the target runs them, in this order. */
export const ROUTE_MODULES = ['distributor', 'query-frontend', 'identity-api', 'control-plane-api', 'console', 'collectors'] as const;

/**
 * serverModule is the HTTP listener. It starts after every route module the target runs, registers
 * their routes (each checked against the route → IAM action table) and listens; it stops first, so
 * no request arrives while the other modules shut down. Routes of modules the target does not run
 * answer 404 naming the target.
 */
export function serverModule(env: AmphoraEnv): ModuleDefinition<AmphoraModules, 'server'> {
  return {
    deps: ['identity', 'storage', 'self-metrics'],
    optionalDeps: [...ROUTE_MODULES],
    init: async (deps) => {
      const { config, logger } = env;
      const plugins: RoutePlugin[] = [deps.get('self-metrics').routes];
      for (const m of ROUTE_MODULES) if (deps.has(m)) plugins.push(deps.get(m).routes);
      const tls = config.tls ? loadTls(config.tls) : undefined;
      const app = await buildServer({
        ...(tls ? { https: tls.options } : {}),
        storage: deps.get('storage').workspaces,
        logger,
        authenticate: deps.get('identity').authenticate,
        ...(deps.has('console') ? { browserHome: browserHomeRedirect() } : {}),
        plugins,
        ...(config.target !== 'all' ? { target: config.target } : {}),
      });
      const [host, port] = splitHostPort(config.listen);
      try {
        await app.listen({ host, port });
      } catch (err) {
        await app.close();
        throw err;
      }
      const address = `${tls ? 'https' : 'http'}://${host}:${(app.server.address() as { port: number }).port}`;
      env.setAddress(address);
      const stopReload = config.tls ? reloadTlsOnSighup(app.server as unknown as TlsServer, config.tls, logger) : () => {};
      const tlsFacts = tls && config.tls ? { tls: { subject: tls.subject, notAfter: tls.notAfter, clientAuth: config.tls.clientAuth } } : {};
      logger.info({ address, dataDir: config.dataDir, target: config.target, ...tlsFacts }, 'Amphora listening');
      return {
        app,
        address,
        stop: () => {
          stopReload();
          return app.close();
        },
      };
    },
  };
}

function splitHostPort(listen: string): [string, number] {
  const i = listen.lastIndexOf(':');
  return [listen.slice(0, i), Number(listen.slice(i + 1))];
}
