import { describe, expect, it } from 'vitest';
import { fuzzTarget } from './check.js';
import { TARGETS } from './targets/index.js';

/** FUZZ_RUNS sets the inputs per target in `npm test` (brief); `npm run fuzz` runs at length. */
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 250);
const SEED = process.env['FUZZ_SEED'] === undefined ? undefined : Number(process.env['FUZZ_SEED']);

// Parsers that warn through process.emitWarning (the YAML library) would flood the test output.
process.removeAllListeners('warning');

describe('fuzz (brief; `npm run fuzz` runs at length)', () => {
  for (const t of TARGETS) {
    it(`${t.name}: every input parses or is refused with the parser's own error, within 1 s`, async () => {
      const seeds = await t.setup();
      try {
        const s = await fuzzTarget(t, seeds, { runs: RUNS, ...(SEED !== undefined ? { seed: SEED } : {}), timeoutMs: 1000 });
        const detail = s.failure ? `${s.failure.message}\norigin: ${s.failure.origin}\ninput (base64): ${Buffer.from(s.failure.input).toString('base64')}\nseed: ${s.seed}` : '';
        expect(detail).toBe('');
        expect(s.runs).toBe(RUNS);
        // The seeds are valid inputs: a target whose every input is refused tests nothing behind the first check.
        expect(s.accepted).toBeGreaterThan(0);
      } finally {
        await t.teardown?.();
      }
    });
  }
});
