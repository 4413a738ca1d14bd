import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** TarMember is one member to write: a file with its bytes, or a directory. */
export type TarMember = { readonly kind: 'file'; readonly path: string; readonly data: Uint8Array } | { readonly kind: 'directory'; readonly path: string };

const BLOCK = 512;

function header(path: string, size: number, type: '0' | '5'): Buffer {
  const h = Buffer.alloc(BLOCK);
  const name = Buffer.from(path, 'utf8');
  if (name.length > 100) throw new RangeError(`tar path ${JSON.stringify(path)} is longer than 100 bytes`);
  name.copy(h, 0);
  h.write(type === '5' ? '0000755\0' : '0000644\0', 100, 'ascii');
  h.write('0000000\0', 108, 'ascii');
  h.write('0000000\0', 116, 'ascii');
  h.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 'ascii');
  h.write(`${Math.floor(Date.now() / 1000).toString(8).padStart(11, '0')}\0`, 136, 'ascii');
  h.write('        ', 148, 'ascii');
  h.write(type, 156, 'ascii');
  h.write('ustar\0', 257, 'ascii');
  h.write('00', 263, 'ascii');
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += h[i]!;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return h;
}

/** writeTar encodes members as a ustar archive (paths up to 100 bytes), ending with the two zero records. */
export function* writeTar(members: Iterable<TarMember>): Generator<Buffer> {
  for (const m of members) {
    if (m.kind === 'directory') {
      yield header(m.path.endsWith('/') ? m.path : `${m.path}/`, 0, '5');
      continue;
    }
    yield header(m.path, m.data.length, '0');
    yield Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength);
    const pad = (BLOCK - (m.data.length % BLOCK)) % BLOCK;
    if (pad > 0) yield Buffer.alloc(pad);
  }
  yield Buffer.alloc(2 * BLOCK);
}

/** blockDirMembers lists a block directory as tar members under `<ULID>/` (meta.json, index, tombstones, chunks/*), read lazily. */
export function* blockDirMembers(dir: string, root: string): Generator<TarMember> {
  yield { kind: 'directory', path: root };
  for (const f of ['meta.json', 'index', 'tombstones']) {
    const p = join(dir, f);
    if (statSync(p, { throwIfNoEntry: false })?.isFile()) yield { kind: 'file', path: `${root}/${f}`, data: readFileSync(p) };
  }
  yield { kind: 'directory', path: `${root}/chunks` };
  for (const f of readdirSync(join(dir, 'chunks')).filter((n) => /^\d{6}$/.test(n)).sort()) {
    yield { kind: 'file', path: `${root}/chunks/${f}`, data: readFileSync(join(dir, 'chunks', f)) };
  }
}
