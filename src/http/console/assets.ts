import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/** ConsoleAsset is one built console file held in memory with its gzip form. */
export interface ConsoleAsset {
  readonly body: Buffer;
  /** gzip is the body compressed at level 9 when that is smaller, else null. */
  readonly gzip: Buffer | null;
  readonly contentType: string;
  /** immutable marks Vite's content-hashed files under assets/ (cached for a year). */
  readonly immutable: boolean;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** loadConsoleAssets reads every file of a built console directory (`vite build` output) into memory, keyed by its path under /console/. */
export function loadConsoleAssets(dir: string): Map<string, ConsoleAsset> {
  const assets = new Map<string, ConsoleAsset>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) {
        walk(full);
        continue;
      }
      const rel = relative(dir, full).split(sep).join('/');
      const body = readFileSync(full);
      const type = TYPES[extname(name)] ?? 'application/octet-stream';
      const compressible = type.startsWith('text/') || type === 'image/svg+xml' || type === 'application/json';
      const gz = compressible ? gzipSync(body, { level: 9 }) : null;
      assets.set(rel, { body, gzip: gz && gz.length < body.length ? gz : null, contentType: type, immutable: rel.startsWith('assets/') });
    }
  };
  walk(dir);
  return assets;
}

/** defaultConsoleDir is where `npm run build` writes the console: dist/ui under the package root (found from this file, compiled or not). */
export function defaultConsoleDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'dist', 'ui');
    const up = dirname(dir);
    if (up === dir) return join(process.cwd(), 'dist', 'ui');
    dir = up;
  }
}
