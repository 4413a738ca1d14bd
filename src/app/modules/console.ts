import { defaultConsoleDir } from '../../http/console/assets.js';
import { consoleRoutes } from '../../http/console/routes.js';
import type { ModuleDefinition } from '../modules.js';
import type { AmphoraEnv, AmphoraModules } from '../services.js';

/** consoleModule serves the web console's built assets (dist/ui, written by `npm run build`) under /console/. */
export function consoleModule(env: AmphoraEnv): ModuleDefinition<AmphoraModules, 'console'> {
  return {
    deps: [],
    init: () => ({ routes: consoleRoutes({ dir: defaultConsoleDir(), logger: env.logger }) }),
  };
}
