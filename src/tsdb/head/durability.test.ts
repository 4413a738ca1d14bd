import { afterEach, describe, expect, it } from 'vitest';
import { labelsFromRecord, type Labels } from '../../model/labels.js';
import { isStorageError } from '../../storage/errors.js';
import { Cleanups, faultyFs } from '../wal/test-helpers.js';
import { WAL } from '../wal/wal.js';
import { Head } from './head.js';
import { code, read } from './test-support.js';

// A batch's samples become visible only once its WAL record is durable; a failed write (ENOSPC)
// leaves nothing visible and nothing reserved, so the identical retried batch is accepted.

const cleanups = new Cleanups();
afterEach(cleanups.run);

const L = (name: string, extra: Record<string, string> = {}): Labels => labelsFromRecord({ __name__: name, ...extra });

/** all reads every sample of every series. */
function all(h: Head): Map<string, [number, number][]> {
  return read(h.querier(-Infinity, Infinity));
}

/** countSamples counts the visible samples. */
function countSamples(h: Head): number {
  let n = 0;
  for (const xs of all(h).values()) n += xs.length;
  return n;
}

async function openHead(dir: string, fs = faultyFs().fs): Promise<{ head: Head; wal: WAL }> {
  const head = new Head({ wal: null });
  await head.replayWAL(dir);
  const wal = await WAL.open(dir, { fs });
  head.setWAL(wal);
  return { head, wal };
}

/** appendBatch queues 3 samples (t = t0, t0+1, t0+2) for each of n series named s0..s{n-1}. */
function appendBatch(h: Head, n: number, t0: number) {
  const a = h.appender();
  for (let i = 0; i < n; i++) for (let k = 0; k < 3; k++) a.append(0, L(`s${i}`), t0 + k, i * 100 + k);
  return a;
}

describe('Head commit durability', () => {
  it('a batch failing with ENOSPC leaves no sample visible; the retried identical batch is accepted and every sample is visible exactly once, also after replay', async () => {
    const dir = cleanups.tempDir();
    const { fs, state } = faultyFs();
    const { head, wal } = await openHead(dir, fs);
    await appendBatch(head, 5, 1000).commit();
    expect(countSamples(head)).toBe(15);

    state.full = true;
    // New series (s5..s9) and newer samples of existing ones.
    const failing = appendBatch(head, 10, 2000);
    await expect(failing.commit()).rejects.toSatisfy((e: unknown) => isStorageError(e, 'disk_full'));
    expect(countSamples(head)).toBe(15);
    expect(head.maxTime()).toBe(1002);
    // Still full: the retry fails the same way and is not refused as out of order.
    await expect(appendBatch(head, 10, 2000).commit()).rejects.toSatisfy((e: unknown) => isStorageError(e, 'disk_full'));
    expect(countSamples(head)).toBe(15);

    state.full = false;
    await appendBatch(head, 10, 2000).commit();
    const want = new Map<string, [number, number][]>();
    for (let i = 0; i < 10; i++) {
      const xs: [number, number][] = [];
      if (i < 5) for (let k = 0; k < 3; k++) xs.push([1000 + k, i * 100 + k]);
      for (let k = 0; k < 3; k++) xs.push([2000 + k, i * 100 + k]);
      want.set(`__name__=s${i}`, xs);
    }
    expect(all(head)).toEqual(want);
    await wal.close();

    // Replay: the failed batches left nothing in the log, the retry is there once (series records included).
    const again = await openHead(dir);
    expect(all(again.head)).toEqual(want);
    await again.wal.close();
  });

  it('keeps samples invisible while their WAL write is in flight', async () => {
    const dir = cleanups.tempDir();
    const { fs, hold } = faultyFs();
    const { head, wal } = await openHead(dir, fs);
    const open = hold();
    const a = head.appender();
    a.append(0, L('m'), 10, 1);
    const committing = a.commit();
    await new Promise((r) => setTimeout(r, 20));
    expect(countSamples(head)).toBe(0);
    open();
    await committing;
    expect(all(head)).toEqual(new Map([['__name__=m', [[10, 1]]]]));
    await wal.close();
  });

  it('applies a large durable batch in slices, letting the event loop run, and a later batch lands after all of it', async () => {
    const dir = cleanups.tempDir();
    const { head, wal } = await openHead(dir);
    const big = appendBatch(head, 15_000, 1000); // 45,000 samples: more than two apply slices
    let ticks = 0;
    let stop = false;
    const seen = new Set<number>();
    const ticker = (async () => {
      while (!stop) {
        await new Promise<void>((r) => setImmediate(r));
        ticks++;
        seen.add(head.stats().numSamplesAppended);
      }
    })();
    const committing = big.commit();
    // Once the big batch is logged (in flight), a later batch to one of its series is checked against it and applied after it.
    while (head.inflight.size === 0) await new Promise<void>((r) => setImmediate(r));
    const later = head.appender();
    later.append(0, L('s7'), 1003, 42);
    const second = later.commit();
    await committing;
    await second;
    stop = true;
    await ticker;
    expect(ticks).toBeGreaterThan(2);
    // Other work ran while the batch was being made visible: it saw part of it applied.
    expect([...seen].some((v) => v > 0 && v < 45_000)).toBe(true);
    expect(countSamples(head)).toBe(45_001);
    expect(head.stats().numSamplesAppended).toBe(45_001);
    expect(all(head).get('__name__=s7')).toEqual([[1000, 700], [1001, 701], [1002, 702], [1003, 42]]);
    await wal.close();
    const { head: again, wal: wal2 } = await openHead(dir);
    expect(countSamples(again)).toBe(45_001);
    await wal2.close();
  });

  it('orders a later batch against an earlier in-flight one, and releases the reservation when the earlier one fails', async () => {
    const dir = cleanups.tempDir();
    const { fs, state, hold } = faultyFs();
    const { head, wal } = await openHead(dir, fs);
    const a0 = head.appender();
    const ref = a0.append(0, L('m'), 10, 1);
    await a0.commit();

    const open = hold();
    const a = head.appender();
    a.append(ref, [], 20, 2);
    const first = a.commit();
    const b = head.appender();
    expect(code(() => b.append(ref, [], 15, 9))).toBe('out_of_order'); // older than the in-flight t=20
    expect(code(() => b.append(ref, [], 20, 3))).toBe('duplicate_sample'); // t=20 in flight with another value
    expect(code(() => b.append(ref, [], 20, 2))).toBe('ok'); // the same sample is queued again
    expect(code(() => b.append(ref, [], 30, 3))).toBe('ok');
    const second = b.commit();
    state.full = true;
    open();
    await expect(first).rejects.toSatisfy((e: unknown) => isStorageError(e, 'disk_full'));
    await expect(second).rejects.toSatisfy((e: unknown) => isStorageError(e, 'disk_full'));
    expect(all(head)).toEqual(new Map([['__name__=m', [[10, 1]]]]));
    state.full = false;

    // Both retried: nothing reserved any more, so t=15 (refused above only because t=20 was in flight) fits too.
    const c = head.appender();
    for (const [t, v] of [[15, 9], [20, 2], [30, 3]] as const) expect(code(() => c.append(ref, [], t, v)), `t=${t}`).toBe('ok');
    await c.commit();
    const want = new Map([['__name__=m', [[10, 1], [15, 9], [20, 2], [30, 3]]]]);
    expect(all(head)).toEqual(want);
    await wal.close();
    const again = await openHead(dir);
    expect(all(again.head)).toEqual(want);
    await again.wal.close();
  });

  it('applies concurrent batches in log order and drops a re-queued duplicate once the first lands', async () => {
    const dir = cleanups.tempDir();
    const { fs, hold } = faultyFs();
    const { head, wal } = await openHead(dir, fs);
    const open = hold();
    const a = head.appender();
    const ref = a.append(0, L('m'), 10, 1);
    const first = a.commit();
    const b = head.appender();
    b.append(ref, [], 10, 1);
    b.append(ref, [], 11, 2);
    const second = b.commit();
    open();
    await Promise.all([first, second]);
    const want = new Map([['__name__=m', [[10, 1], [11, 2]]]]);
    expect(all(head)).toEqual(want);
    await wal.close();
    const again = await openHead(dir);
    expect(all(again.head)).toEqual(want);
    await again.wal.close();
  });

  it('logs the series record again when the batch that carried it failed', async () => {
    const dir = cleanups.tempDir();
    const { fs, state } = faultyFs();
    const { head, wal } = await openHead(dir, fs);
    state.full = true;
    const a = head.appender();
    const ref = a.append(0, L('fresh', { job: 'x' }), 5, 1);
    await expect(a.commit()).rejects.toSatisfy((e: unknown) => isStorageError(e, 'disk_full'));
    state.full = false;
    // The retry reaches the series by ref (as the remote-write fast path does), without its labels.
    const b = head.appender();
    expect(b.append(ref, [], 5, 1)).toBe(ref);
    await b.commit();
    await wal.close();
    const again = await openHead(dir);
    expect(all(again.head)).toEqual(new Map([['__name__=fresh,job=x', [[5, 1]]]]));
    await again.wal.close();
  });

  it('does not garbage-collect a new series while its first batch is in flight', async () => {
    const dir = cleanups.tempDir();
    const { fs, hold } = faultyFs();
    const { head, wal } = await openHead(dir, fs);
    const open = hold();
    const a = head.appender();
    a.append(0, L('young'), 100, 1);
    const committing = a.commit();
    expect(head.truncate(50).removedSeries).toBe(0);
    open();
    await committing;
    expect(all(head)).toEqual(new Map([['__name__=young', [[100, 1]]]]));
    await wal.close();
  });

  it('logs a large batch (series records sent ahead in slices) atomically: a failure leaves nothing visible, the retry lands once', async () => {
    const dir = cleanups.tempDir();
    const { fs, state } = faultyFs();
    const { head, wal } = await openHead(dir, fs);
    state.full = true;
    await expect(appendBatch(head, 12_000, 1000).commit()).rejects.toSatisfy((e: unknown) => isStorageError(e, 'disk_full'));
    expect(countSamples(head)).toBe(0);
    state.full = false;
    await appendBatch(head, 12_000, 1000).commit();
    expect(countSamples(head)).toBe(36_000);
    expect(all(head).get('__name__=s11999')).toEqual([[1000, 1_199_900], [1001, 1_199_901], [1002, 1_199_902]]);
    await wal.close();
    const again = await openHead(dir);
    expect(countSamples(again.head)).toBe(36_000);
    expect(again.head.numSeries()).toBe(12_000);
    await again.wal.close();
  });

  it('applies batches in log order even while a large batch is still preparing its series', async () => {
    const dir = cleanups.tempDir();
    const { head, wal } = await openHead(dir);
    const large = appendBatch(head, 12_000, 1000); // s0..s11999 at 1000..1002
    const first = large.commit();
    // Once the large batch's samples are logged (it is in flight), a small batch for one of its series follows it.
    while (!head.inflight.has(large)) await new Promise((r) => setImmediate(r));
    const small = head.appender();
    small.append(0, L('s0'), 2000, 7);
    const second = small.commit();
    await Promise.all([first, second]);
    expect(all(head).get('__name__=s0')).toEqual([[1000, 0], [1001, 1], [1002, 2], [2000, 7]]);
    expect(head.stats().numDroppedAtCommit).toBe(0);
    await wal.close();
  });
});
