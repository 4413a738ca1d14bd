import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { defaultConsoleDir } from '../src/http/console/assets.js';

/** CONSOLE_FIRST_LOAD_BUDGET is the most the console's first load may weigh compressed (issue 17: 500 KB). */
export const CONSOLE_FIRST_LOAD_BUDGET = 500 * 1000;

/** ConsoleBundleFigures are the built console's sizes: every file of its first load, raw, gzip -9 (what the server sends) and brotli. */
export interface ConsoleBundleFigures {
  readonly files: Record<string, { raw: number; gzip: number; brotli: number }>;
  readonly firstLoadRawBytes: number;
  readonly firstLoadGzipBytes: number;
  readonly firstLoadBrotliBytes: number;
  readonly budgetBytes: number;
  readonly withinBudget: boolean;
}

/** firstLoadFiles lists what a browser fetches to show the console: index.html and the scripts, preloads and styles it names. */
export function firstLoadFiles(indexHtml: string): string[] {
  const files = new Set<string>(['index.html']);
  for (const m of indexHtml.matchAll(/(?:src|href)="\/console\/([^"]+)"/g)) files.add(m[1]!);
  return [...files];
}

/** measureConsoleBundle reads the built console (dist/ui) and measures its first load. */
export function measureConsoleBundle(dir = defaultConsoleDir()): ConsoleBundleFigures {
  const index = join(dir, 'index.html');
  if (!existsSync(index)) throw new Error(`the console is not built (${index} is missing): run npm run build`);
  const files: ConsoleBundleFigures['files'] = {};
  let raw = 0;
  let gz = 0;
  let br = 0;
  for (const f of firstLoadFiles(readFileSync(index, 'utf8'))) {
    const body = readFileSync(join(dir, f));
    const sizes = { raw: body.length, gzip: gzipSync(body, { level: 9 }).length, brotli: brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length };
    files[f] = sizes;
    raw += sizes.raw;
    gz += Math.min(sizes.gzip, sizes.raw);
    br += Math.min(sizes.brotli, sizes.raw);
  }
  return { files, firstLoadRawBytes: raw, firstLoadGzipBytes: gz, firstLoadBrotliBytes: br, budgetBytes: CONSOLE_FIRST_LOAD_BUDGET, withinBudget: gz <= CONSOLE_FIRST_LOAD_BUDGET };
}

/** runConsoleBundleBench is the `console` section of `npm run bench`. */
export async function runConsoleBundleBench(): Promise<Record<string, unknown>> {
  return { ...measureConsoleBundle() };
}

// `node dist/bench/console-bundle.js` (the end of `npm run build`) prints the first-load size and fails past the budget.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const m = measureConsoleBundle();
  process.stdout.write(`console first load: ${(m.firstLoadGzipBytes / 1000).toFixed(1)} KB gzip (${(m.firstLoadBrotliBytes / 1000).toFixed(1)} KB brotli, ${(m.firstLoadRawBytes / 1000).toFixed(1)} KB raw); budget ${m.budgetBytes / 1000} KB\n`);
  if (!m.withinBudget) process.exitCode = 1;
}
