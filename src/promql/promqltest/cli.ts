import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Head } from '../../tsdb/head/head.js';
import type { Appender } from '../../storage/interface.js';
import { MemoryStorage } from './memory-storage.js';
import type { FailureClass } from './classify.js';
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

/** FileTally counts one file's outcomes, failures split by class. */
interface FileTally {
  passed: number;
  failed: Record<FailureClass, number>;
}

const CLASS_LABEL: Record<FailureClass, string> = {
  native_histograms: 'native histograms',
  other: 'other',
};

function failedTotal(t: FileTally): number {
  return t.failed.native_histograms + t.failed.other;
}

/**
 * main runs promqltest scripts and prints failures, a per-class summary and a final `N passed, M failed` line.
 * Flags: --memory (reference in-memory storage), --per-file (a line per file), --only-other (print only failures
 * that need no missing feature, i.e. no native histograms).
 */
export async function main(argv: string[]): Promise<number> {
  // Until the head stores native histograms, the in-memory reference storage stands in for it.
  const headHistograms = (new Head({ wal: null }).appender() as Appender).appendHistogram !== undefined;
  const useMemory = argv.includes('--memory') || !headHistograms;
  if (!argv.includes('--memory') && !headHistograms) console.log('note: the TSDB head keeps no native histograms; using the in-memory storage');
  const onlyOther = argv.includes('--only-other');
  const files = collectFiles(argv.filter((a) => !a.startsWith('--')));
  const total: FileTally = { passed: 0, failed: { native_histograms: 0, other: 0 } };
  const perFile: string[] = [];
  for (const f of files) {
    const t: FileTally = { passed: 0, failed: { native_histograms: 0, other: 0 } };
    try {
      const outcomes = await runScript(readFileSync(f, 'utf8'), {
        newStorage: () => (useMemory ? new MemoryStorage() : new Head({ wal: null })),
        storesHistograms: true,
      });
      for (const o of outcomes) {
        if (o.ok) {
          t.passed++;
          continue;
        }
        t.failed[o.cls]++;
        if (onlyOther && o.cls !== 'other') continue;
        console.log(`${f}:${o.line}: [${CLASS_LABEL[o.cls]}] ${o.expr}\n    ${o.message.slice(0, 400)}`);
      }
    } catch (err) {
      const evals = (readFileSync(f, 'utf8').match(/^\s*eval/gm) ?? []).length;
      t.failed.other += evals;
      console.log(`${f}: script failed (${evals} evals counted as failed): ${(err as Error).message}`);
    }
    total.passed += t.passed;
    for (const k of Object.keys(t.failed) as FailureClass[]) total.failed[k] += t.failed[k];
    perFile.push(
      `  ${f}: ${t.passed} passed, ${failedTotal(t)} failed ` +
        `(native histograms ${t.failed.native_histograms}, other ${t.failed.other})`,
    );
  }
  if (argv.includes('--per-file')) for (const l of perFile) console.log(l);
  console.log(
    `failed by cause: native histograms ${total.failed.native_histograms}, other (neither) ${total.failed.other}`,
  );
  console.log(`${total.passed} passed, ${failedTotal(total)} failed`);
  return failedTotal(total) === 0 ? 0 : 1;
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
