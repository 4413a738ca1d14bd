import { describe, expect, it } from 'vitest';
import { readTar, TarError } from './tar.js';
import { writeTar, type TarMember } from './tar-writer.js';

const LIMITS = { maxEntrySize: 1 << 20, maxEntries: 10 };

async function* pieces(buf: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}

async function readAll(buf: Buffer, chunk = 4096, limits = LIMITS): Promise<{ path: string; kind: string; data: string }[]> {
  const out = [];
  for await (const e of readTar(pieces(buf, chunk), limits)) {
    const parts: Buffer[] = [];
    for await (const c of e.chunks()) parts.push(c);
    out.push({ path: e.path, kind: e.kind, data: Buffer.concat(parts).toString() });
  }
  return out;
}

/** rawHeader builds a header with any type flag (links, pax) and a correct checksum. */
function rawHeader(name: string, size: number, type: string): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0);
  h.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 'ascii');
  h.write(type, 156, 'ascii');
  h.write('ustar\0', 257, 'ascii');
  h.write('        ', 148, 'ascii');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return h;
}
const pad = (b: Buffer): Buffer => Buffer.concat([b, Buffer.alloc((512 - (b.length % 512)) % 512)]);

describe('readTar', () => {
  const members: TarMember[] = [
    { kind: 'directory', path: 'blk' },
    { kind: 'file', path: 'blk/a', data: Buffer.from('hello') },
    { kind: 'file', path: 'blk/empty', data: Buffer.alloc(0) },
    { kind: 'file', path: 'blk/big', data: Buffer.alloc(3000, 'z') },
  ];
  const tar = Buffer.concat([...writeTar(members)]);

  it('reads what writeTar wrote, however the stream is cut into chunks', async () => {
    for (const chunk of [1, 7, 512, 513, 1 << 16]) {
      expect(await readAll(tar, chunk)).toEqual([
        { path: 'blk/', kind: 'directory', data: '' },
        { path: 'blk/a', kind: 'file', data: 'hello' },
        { path: 'blk/empty', kind: 'file', data: '' },
        { path: 'blk/big', kind: 'file', data: 'z'.repeat(3000) },
      ]);
    }
  });

  it('skips bodies the consumer does not read', async () => {
    const paths = [];
    for await (const e of readTar(pieces(tar, 100), LIMITS)) paths.push(e.path);
    expect(paths).toEqual(['blk/', 'blk/a', 'blk/empty', 'blk/big']);
  });

  it('applies pax path records and GNU long names', async () => {
    const long = `blk/${'n'.repeat(150)}`;
    const rec = ` path=${long}\n`;
    const pax = Buffer.from(`${rec.length + 3}${rec}`);
    const gnu = Buffer.from(`${long}x\0`);
    const buf = Buffer.concat([rawHeader('PaxHeader', pax.length, 'x'), pad(pax), rawHeader('short', 1, '0'), pad(Buffer.from('1')), rawHeader('././@LongLink', gnu.length, 'L'), pad(gnu), rawHeader('short2', 1, '0'), pad(Buffer.from('2')), Buffer.alloc(1024)]);
    expect((await readAll(buf)).map((e) => [e.path, e.data])).toEqual([
      [long, '1'],
      [`${long}x`, '2'],
    ]);
  });

  const refused: [string, Buffer, RegExp][] = [
    ['a symbolic link', Buffer.concat([rawHeader('blk/index', 0, '2'), Buffer.alloc(1024)]), /symbolic link/],
    ['a hard link', Buffer.concat([rawHeader('blk/index', 0, '1'), Buffer.alloc(1024)]), /hard link/],
    ['a stream cut inside a body', tar.subarray(0, 512 * 5 + 100), /truncated inside member "blk\/big"/],
    ['a stream cut inside a header', tar.subarray(0, 700), /truncated inside a header/],
    ['a stream without its end marker', tar.subarray(0, tar.length - 1024), /without its end-of-archive marker/],
    ['a bad checksum', Buffer.concat([Buffer.from(tar.subarray(0, 512)).fill(1, 0, 1), tar.subarray(512)]), /checksum mismatch/],
    ['a member over the size limit', Buffer.concat([rawHeader('blk/index', 2 << 20, '0'), Buffer.alloc(1024)]), /over the 1048576-byte limit/],
  ];
  it.each(refused)('refuses %s', async (_what, buf, message) => {
    await expect(readAll(buf)).rejects.toThrow(message);
    await expect(readAll(buf)).rejects.toBeInstanceOf(TarError);
  });

  it('refuses more members than allowed', async () => {
    await expect(readAll(tar, 512, { maxEntrySize: 1 << 20, maxEntries: 3 })).rejects.toThrow(/more than 3 members/);
  });
});
