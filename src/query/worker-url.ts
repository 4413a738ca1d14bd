import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * workerEntryUrl locates the compiled query worker. Running from dist/ it sits beside this
 * module; when this module is the TypeScript source (tests import src/ directly), the worker
 * still runs the compiled dist/src/query/worker-main.js, so `tsc` must have run first.
 */
export function workerEntryUrl(from: string = import.meta.url): URL {
  if (!from.endsWith('.ts')) return new URL('./worker-main.js', from);
  const url = new URL(from.replace(/\/src\/query\/[^/]+\.ts$/, '/dist/src/query/worker-main.js'));
  if (!existsSync(fileURLToPath(url))) throw new Error(`query worker ${fileURLToPath(url)} is missing: build with \`npx tsc -p tsconfig.json\` first`);
  return url;
}
