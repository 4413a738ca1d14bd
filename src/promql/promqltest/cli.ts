import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Head } from '../../tsdb/head/head.js';
import { MemoryStorage } from './memory-storage.js';
import { runScript } from './runner.js';

/** collectFiles expands directories into their .test files. */
export function collectFiles(paths: string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    if (statSync(p).isDirectory()) {
      for (const f of readdirSync(p).sort()) if (f.endsWith('.test')) out.push(join(p, f));
    } else out.push(p);
  }
  return out;
}

/** main runs promqltest scripts and prints failures and a `N passed, M failed` line. */
export async function main(argv: string[]): Promise<number> {
  const useMemory = argv.includes('--memory');
  const files = collectFiles(argv.filter((a) => !a.startsWith('--')));
  let passed = 0;
  let failed = 0;
  const perFile: string[] = [];
  for (const f of files) {
    let p = 0;
    let n = 0;
    try {
      const outcomes = await runScript(readFileSync(f, 'utf8'), {
        newStorage: () => (useMemory ? new MemoryStorage() : new Head({ wal: null })),
      });
      for (const o of outcomes) {
        if (o.ok) p++;
        else {
          n++;
          console.log(`${f}:${o.line}: ${o.expr}\n    ${o.message.slice(0, 400)}`);
        }
      }
    } catch (err) {
      const evals = (readFileSync(f, 'utf8').match(/^\s*eval/gm) ?? []).length;
      n += evals;
      console.log(`${f}: script failed (${evals} evals counted as failed): ${(err as Error).message}`);
    }
    passed += p;
    failed += n;
    perFile.push(`  ${f}: ${p} passed, ${n} failed`);
  }
  if (argv.includes('--per-file')) for (const l of perFile) console.log(l);
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err);
    process.exitCode = 2;
  },
);
