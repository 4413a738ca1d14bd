import { describe, expect, it } from 'vitest';
import { ApiError } from '../http/prometheus/api-error.js';
import { BodyWriter } from './body-writer.js';

describe('BodyWriter', () => {
  it('emits the text in pieces of about flushBytes that concatenate to the whole', () => {
    const pieces: Uint8Array[] = [];
    const w = new BodyWriter({ maxBytes: 1e6, flushBytes: 100, emit: (c) => pieces.push(c) });
    let want = '';
    for (let i = 0; i < 500; i++) {
      const s = `{"i":${i},"s":"é€"},`;
      want += s;
      w.write(s);
    }
    w.flush();
    expect(pieces.length).toBeGreaterThan(50);
    expect(Buffer.concat(pieces).toString('utf8')).toBe(want);
    expect(w.bytes).toBe(Buffer.byteLength(want));
    // Each piece owns its memory, so it can be transferred.
    for (const p of pieces) expect(p.byteOffset === 0 && p.buffer.byteLength === p.length).toBe(true);
  });

  it('fails with an execution error naming the limit once the body passes maxBytes', () => {
    const w = new BodyWriter({ maxBytes: 1000, flushBytes: 64, emit: () => {} });
    const overflow = (): void => {
      for (let i = 0; i < 100; i++) w.write('x'.repeat(30));
    };
    expect(overflow).toThrow(ApiError);
    expect(overflow).toThrow(/1000 bytes \(query\.maxResultBytes\)/);
  });
});
