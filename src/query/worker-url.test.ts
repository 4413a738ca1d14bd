import { describe, expect, it } from 'vitest';
import { workerEntryUrl } from './worker-url.js';

describe('workerEntryUrl', () => {
  it('runs the worker beside the compiled module', () => {
    expect(workerEntryUrl('file:///app/dist/src/query/pool.js').href).toBe('file:///app/dist/src/query/worker-main.js');
  });

  it('maps a TypeScript source module to the compiled worker under dist/', () => {
    expect(workerEntryUrl(import.meta.url).pathname).toMatch(/\/dist\/src\/query\/worker-main\.js$/);
  });

  it('says to build first when the compiled worker is missing', () => {
    expect(() => workerEntryUrl('file:///nowhere/src/query/pool.ts')).toThrow(/npx tsc/);
  });
});
