import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { defaultConsoleDir } from '../../src/http/console/assets.js';

/** CHROMIUM is Debian's chromium, which the console tests drive (CI installs it). */
export const CHROMIUM = '/usr/bin/chromium';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    const st = statSync(full);
    newest = Math.max(newest, st.isDirectory() ? newestMtime(full) : st.mtimeMs);
  }
  return newest;
}

/** ensureConsoleBuilt runs `vite build` for the console when dist/ui is missing or older than src/ui (npm test does not run the UI build). */
export async function ensureConsoleBuilt(): Promise<void> {
  const index = join(defaultConsoleDir(), 'index.html');
  const src = join(defaultConsoleDir(), '..', '..', 'src', 'ui');
  if (existsSync(index) && statSync(index).mtimeMs >= newestMtime(src)) return;
  const { build } = await import('vite');
  await build({ configFile: join(src, 'vite.config.ts'), logLevel: 'warn' });
}
