import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { newMatcher } from '../../src/model/matcher.js';
import { TSDB } from '../../src/tsdb/db.js';
import { SERIES, STEP_MS } from './crash-constants.js';

const CHILD = join(import.meta.dirname, '../../dist/test/tsdb/crash-child.js');
const ROUNDS = 12;

/** runAndKill starts the child, lets it ingest for ms, kills it with SIGKILL and returns the batches it acknowledged. */
function runAndKill(dir: string, ms: number): Promise<{ acked: number[]; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acked: number[] = [];
    let out = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const lines = out.split('\n');
      out = lines.pop()!;
      for (const l of lines) if (l.startsWith('ack ')) acked.push(Number(l.slice(4)));
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('error', reject);
    child.on('exit', () => {
      clearTimeout(timer);
      resolve({ acked, stderr });
    });
  });
}

describe.skipIf(!existsSync(CHILD))('crash safety (kill -9 mid-ingest)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'amphora-crash-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(`loses no acknowledged sample over ${ROUNDS} kills`, async () => {
    const acked = new Set<number>();
    let seed = 7;
    for (let round = 0; round < ROUNDS; round++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      const res = await runAndKill(dir, 400 + (seed % 1200));
      expect(res.stderr).toBe('');
      for (const b of res.acked) acked.add(b);
    }
    expect(acked.size).toBeGreaterThan(100);

    const db = await TSDB.open(dir, { blockRange: 60 * STEP_MS, compactionInterval: 0, retention: () => 1e15 });
    try {
      const found = new Map<string, number>();
      const q = db.querier(-Infinity, Infinity);
      const set = q.select(true, undefined, [newMatcher('=', '__name__', 'crash_test')]);
      let seriesCount = 0;
      while (set.next()) {
        const s = set.at();
        seriesCount++;
        const id = s.labels.find((l) => l.name === 'series')!.value;
        const it = s.iterator();
        while (it.next()) found.set(`${id}@${it.atT()}`, it.atV());
      }
      q.close();
      expect(seriesCount).toBe(SERIES);
      const missing: string[] = [];
      for (const b of acked) {
        for (let s = 0; s < SERIES; s++) {
          const v = found.get(`${s}@${b * STEP_MS}`);
          if (v !== b * SERIES + s) missing.push(`batch ${b} series ${s}: got ${v}`);
        }
      }
      expect(missing.slice(0, 5)).toEqual([]);
      expect(db.blockMetas().length).toBeGreaterThan(0);
    } finally {
      await db.close();
    }
  }, 120_000);
});
