import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanups, readAll } from './test-helpers.js';

// A child process logs records from several concurrent loggers and prints each acknowledged
// record; the parent kill -9s it mid-stream. Replay must contain every acknowledged record.
const viteNode = resolve('node_modules/.bin/vite-node');
const walModule = resolve('src/tsdb/wal/wal.ts');

const cleanups = new Cleanups();
afterEach(cleanups.run);

describe.skipIf(!existsSync(viteNode))('crash safety', () => {
  it('kill -9 loses no acknowledged record', { timeout: 60_000 }, async () => {
    const tmp = cleanups.tempDir();
    const script = join(tmp, 'child.ts');
    writeFileSync(
      script,
      `import { WAL } from ${JSON.stringify(walModule)};
const wal = await WAL.open(${JSON.stringify(join(tmp, 'wal'))}, { segmentSize: 4 * 32768 });
let next = 0;
async function logger() {
  for (;;) {
    const id = next++;
    const rec = Buffer.alloc(200 + (id % 13) * 1500, id & 0xff);
    rec.writeUInt32BE(id, 0);
    await wal.log([rec]);
    process.stdout.write('ack ' + id + '\\n');
  }
}
for (let i = 0; i < 6; i++) void logger();
`,
    );
    const child = spawn(viteNode, [script], { stdio: ['ignore', 'pipe', 'pipe'] });
    cleanups.add(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    const acked = new Set<number>();
    let errOut = '';
    child.stderr.on('data', (d: Buffer) => (errOut += d.toString()));
    let buf = '';
    const exited = new Promise<void>((res) => child.on('exit', () => res()));
    await new Promise<void>((res, rej) => {
      const timer = setTimeout(() => rej(new Error(`child made too little progress: ${acked.size} acks; ${errOut}`)), 45_000);
      child.stdout.on('data', (d: Buffer) => {
        buf += d.toString();
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          if (line.startsWith('ack ')) acked.add(Number(line.slice(4)));
        }
        if (acked.size >= 400) {
          clearTimeout(timer);
          child.kill('SIGKILL');
          res();
        }
      });
      child.on('exit', () => res());
    });
    await exited;
    // Acks still in the pipe when the child died are acknowledged too.
    const got = await readAll(join(tmp, 'wal'));
    const ids = new Set(got.recs.map((h) => Buffer.from(h, 'hex').readUInt32BE(0)));
    const missing = [...acked].filter((id) => !ids.has(id));
    expect(missing).toEqual([]);
    expect(acked.size).toBeGreaterThanOrEqual(400);
    expect(got.segs[got.segs.length - 1]).toBeGreaterThan(0);
  });
});
