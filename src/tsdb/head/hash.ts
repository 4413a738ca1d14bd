/** hashBytes hashes buf[start, end) with MurmurHash3 (x86, 32-bit), four bytes per step; returns an int32. */
export function hashBytes(buf: Uint8Array, start: number, end: number, seed = 0x9747b28c): number {
  let h = seed | 0;
  let i = start;
  const blockEnd = start + ((end - start) & ~3);
  for (; i < blockEnd; i += 4) {
    h = mixWord(h, buf[i]! | (buf[i + 1]! << 8) | (buf[i + 2]! << 16) | (buf[i + 3]! << 24));
  }
  const rem = end - i;
  if (rem > 0) {
    let k = buf[i]!;
    if (rem > 1) k |= buf[i + 1]! << 8;
    if (rem > 2) k |= buf[i + 2]! << 16;
    h ^= scramble(k);
  }
  return fmix(h ^ (end - start));
}

/** hashLabelStrings hashes a label set's names and values (UTF-16 code units) with separators; returns an int32. */
export function hashLabelStrings(labels: readonly { readonly name: string; readonly value: string }[]): number {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i]!;
    h = mixString(h, l.name);
    h = mixWord(h, 0xff);
    h = mixString(h, l.value);
    h = mixWord(h, 0xfe);
  }
  return fmix(h ^ labels.length);
}

function mixString(h: number, s: string): number {
  const n = s.length;
  let i = 0;
  for (; i + 1 < n; i += 2) h = mixWord(h, s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16));
  if (i < n) h = mixWord(h, s.charCodeAt(i));
  return h;
}

/** mixWord folds one 32-bit word into the MurmurHash3 state. */
function mixWord(h: number, k: number): number {
  h ^= scramble(k);
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** scramble is MurmurHash3's per-word multiply-rotate-multiply (alone for the tail bytes). */
function scramble(k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  return Math.imul(k, 0x1b873593);
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

/** hashView is hashBytes over a DataView of the same bytes (reads four bytes per load); results are identical. */
export function hashView(dv: DataView, start: number, end: number, seed = 0x9747b28c): number {
  let h = seed | 0;
  let i = start;
  const blockEnd = start + ((end - start) & ~3);
  for (; i < blockEnd; i += 4) {
    h = mixWord(h, dv.getInt32(i, true));
  }
  const rem = end - i;
  if (rem > 0) {
    let k = dv.getUint8(i);
    if (rem > 1) k |= dv.getUint8(i + 1) << 8;
    if (rem > 2) k |= dv.getUint8(i + 2) << 16;
    h ^= scramble(k);
  }
  return fmix(h ^ (end - start));
}
