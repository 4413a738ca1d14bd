import { ByteSource } from './byte-source.js';

/** TAR_BLOCK is the 512-byte record size of the tar format. */
const TAR_BLOCK = 512;

/** TarError is a malformed or refused tar stream (truncated, bad checksum, an entry type or size not allowed). */
export class TarError extends Error {
  override name = 'TarError';
}

/** TarEntryKind is what a tar entry is; links and devices are refused before they are reported. */
export type TarEntryKind = 'file' | 'directory';

/** TarEntry is one member of a tar stream; read its body with `chunks()` before asking for the next entry. */
export interface TarEntry {
  /** path is the member's path as written in the archive (pax `path` and GNU long names applied). */
  readonly path: string;
  readonly kind: TarEntryKind;
  /** size is the body size in bytes (0 for directories). */
  readonly size: number;
  /** chunks yields the body; an entry body not read is skipped. */
  chunks(): AsyncIterable<Buffer>;
}

/** TarReadOptions bound what a tar stream may hold. */
export interface TarReadOptions {
  /** maxEntrySize caps one member's size (bytes). */
  maxEntrySize: number;
  /** maxEntries caps the number of members. */
  maxEntries: number;
}

function field(h: Buffer, off: number, len: number): string {
  const end = h.indexOf(0, off);
  return h.toString('utf8', off, end < 0 || end > off + len ? off + len : end);
}

function octal(h: Buffer, off: number, len: number, what: string): number {
  if (h[off]! & 0x80) throw new TarError(`tar header field ${what} uses the base-256 encoding (a member over 8 GiB), which is refused`);
  const s = field(h, off, len).trim();
  if (s === '') return 0;
  if (!/^[0-7]+$/.test(s)) throw new TarError(`tar header field ${what} is not an octal number: ${JSON.stringify(s)}`);
  return parseInt(s, 8);
}

function checksumOk(h: Buffer): boolean {
  const stored = octal(h, 148, 8, 'chksum');
  let sum = 0;
  for (let i = 0; i < TAR_BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i]!;
  return sum === stored;
}

/** paxPath returns the `path` record of a pax extended header body, if any. */
function paxPath(body: Buffer): string | undefined {
  let p = 0;
  let path: string | undefined;
  while (p < body.length) {
    const sp = body.indexOf(0x20, p);
    if (sp < 0) throw new TarError('malformed pax extended header');
    const len = Number(body.toString('ascii', p, sp));
    if (!Number.isInteger(len) || len <= sp - p || p + len > body.length) throw new TarError('malformed pax extended header record length');
    const rec = body.toString('utf8', sp + 1, p + len - 1);
    const eq = rec.indexOf('=');
    if (eq > 0 && rec.slice(0, eq) === 'path') path = rec.slice(eq + 1);
    p += len;
  }
  return path;
}

/**
 * readTar yields the members of a ustar/pax/GNU tar stream one at a time, reading the stream as
 * the caller consumes bodies (nothing is buffered beyond the current chunk). It checks every header
 * checksum, refuses links, devices and members over maxEntrySize, and throws TarError when the
 * stream ends inside a member or without its end-of-archive marker.
 */
export async function* readTar(source: AsyncIterable<Uint8Array>, opts: TarReadOptions): AsyncGenerator<TarEntry> {
  const src = new ByteSource(source);
  let entries = 0;
  let longName: string | undefined;
  let paxName: string | undefined;
  for (;;) {
    const h = await src.read(TAR_BLOCK);
    if (h.length === 0) throw new TarError('tar stream ended without its end-of-archive marker (truncated upload?)');
    if (h.length < TAR_BLOCK) throw new TarError(`tar stream truncated inside a header at byte ${src.consumed - h.length}`);
    if (h.every((b) => b === 0)) return;
    if (!checksumOk(h)) throw new TarError(`tar header checksum mismatch at byte ${src.consumed - TAR_BLOCK} (not a tar stream, or corrupt)`);
    const size = octal(h, 124, 12, 'size');
    const type = String.fromCharCode(h[156]!);
    const padded = Math.ceil(size / TAR_BLOCK) * TAR_BLOCK;
    if (type === 'x' || type === 'g' || type === 'L') {
      if (size > 1024 * 1024) throw new TarError(`tar extended header of ${size} bytes is too large`);
      const body = await src.read(padded);
      if (body.length < padded) throw new TarError('tar stream truncated inside an extended header');
      if (type === 'x') paxName = paxPath(body.subarray(0, size)) ?? paxName;
      else if (type === 'L') longName = field(body, 0, size);
      continue;
    }
    const prefix = field(h, 345, 155);
    const headerName = prefix !== '' && field(h, 257, 6) === 'ustar' ? `${prefix}/${field(h, 0, 100)}` : field(h, 0, 100);
    const path = paxName ?? longName ?? headerName;
    paxName = undefined;
    longName = undefined;
    let kind: TarEntryKind;
    if (type === '0' || type === '\0' || type === '7') kind = 'file';
    else if (type === '5') kind = 'directory';
    else throw new TarError(`tar member ${JSON.stringify(path)} is a ${type === '1' ? 'hard link' : type === '2' ? 'symbolic link' : `type ${JSON.stringify(type)} entry`}; only files and directories are accepted`);
    if (kind === 'directory' && size !== 0) throw new TarError(`tar directory member ${JSON.stringify(path)} announces ${size} bytes of data`);
    if (++entries > opts.maxEntries) throw new TarError(`tar stream has more than ${opts.maxEntries} members`);
    if (size > opts.maxEntrySize) throw new TarError(`tar member ${JSON.stringify(path)} is ${size} bytes, over the ${opts.maxEntrySize}-byte limit`);
    let left = kind === 'file' ? size : 0;
    const chunks = async function* (): AsyncGenerator<Buffer> {
      while (left > 0) {
        const c = await src.readUpTo(Math.min(left, 1 << 20));
        if (c.length === 0) throw new TarError(`tar stream truncated inside member ${JSON.stringify(path)}`);
        left -= c.length;
        yield c;
      }
    };
    yield { path, kind, size: kind === 'file' ? size : 0, chunks };
    // Skip what the consumer did not read, then the padding.
    while (left > 0) {
      const c = await src.readUpTo(Math.min(left, 1 << 20));
      if (c.length === 0) throw new TarError(`tar stream truncated inside member ${JSON.stringify(path)}`);
      left -= c.length;
    }
    const pad = (kind === 'file' ? padded : 0) - size;
    if (pad > 0 && (await src.read(pad)).length < pad) throw new TarError(`tar stream truncated after member ${JSON.stringify(path)}`);
  }
}
