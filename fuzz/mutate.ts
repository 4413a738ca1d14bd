import fc from 'fast-check';

/** Mutation is one edit of a seed; positions are taken modulo the current length. */
export type Mutation =
  | { kind: 'flip'; pos: number; bit: number }
  | { kind: 'set'; pos: number; value: number }
  | { kind: 'truncate'; pos: number }
  | { kind: 'delete'; pos: number; len: number }
  | { kind: 'insert'; pos: number; data: Uint8Array }
  | { kind: 'duplicate'; pos: number; len: number; to: number }
  | { kind: 'splice'; other: number; from: number; len: number; to: number }
  | { kind: 'length'; pos: number; value: number; form: 'varint' | 'u32be' | 'u32le' | 'u64be' | 'ascii' }
  | { kind: 'token'; pos: number; token: number; replace: number };

/** INTERESTING_VALUES are length and count values that break naive readers (0, boundaries, huge). */
export const INTERESTING_VALUES = [0, 1, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xffffffff, 2 ** 32, 2 ** 53 - 1, 2 ** 40] as const;

function varint(v: number): number[] {
  const out: number[] = [];
  while (v >= 0x80) {
    out.push((v % 128) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

function encodeLength(value: number, form: Extract<Mutation, { kind: 'length' }>['form']): number[] {
  switch (form) {
    case 'varint':
      return varint(value);
    case 'u32be':
      return [(value >>> 24) & 0xff, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff];
    case 'u32le':
      return [value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, (value >>> 24) & 0xff];
    case 'u64be': {
      const hi = Math.floor(value / 2 ** 32);
      return [...encodeLength(hi, 'u32be'), ...encodeLength(value >>> 0, 'u32be')];
    }
    case 'ascii':
      return [...Buffer.from(String(value))];
  }
}

/** replaceRange returns b with [at, at + del) replaced by ins (typed-array copies, no per-byte work). */
function replaceRange(b: Uint8Array, at: number, del: number, ins: ArrayLike<number>): Uint8Array {
  const d = Math.min(del, b.length - at);
  const out = new Uint8Array(b.length - d + ins.length);
  out.set(b.subarray(0, at), 0);
  out.set(ins, at);
  out.set(b.subarray(at + d), at + ins.length);
  return out;
}

/** applyMutations edits a copy of seeds[seed] (never the seed itself). */
export function applyMutations(seeds: readonly Uint8Array[], dictionary: readonly Uint8Array[], seed: number, muts: readonly Mutation[], maxLen: number): Uint8Array {
  const src = seeds[seed % seeds.length]!;
  let b: Uint8Array = src.slice(0, Math.min(src.length, maxLen));
  for (const m of muts) {
    const at = (p: number): number => (b.length === 0 ? 0 : p % (b.length + 1));
    switch (m.kind) {
      case 'flip':
        if (b.length > 0) b[m.pos % b.length]! ^= 1 << m.bit;
        break;
      case 'set':
        if (b.length > 0) b[m.pos % b.length] = m.value;
        break;
      case 'truncate':
        b = b.subarray(0, at(m.pos));
        break;
      case 'delete':
        b = replaceRange(b, at(m.pos), m.len, []);
        break;
      case 'insert':
        b = replaceRange(b, at(m.pos), 0, m.data);
        break;
      case 'duplicate': {
        const p = at(m.pos);
        b = replaceRange(b, at(m.to), 0, b.slice(p, p + m.len));
        break;
      }
      case 'splice': {
        const o = seeds[m.other % seeds.length]!;
        const p = o.length === 0 ? 0 : m.from % o.length;
        b = replaceRange(b, at(m.to), 0, o.subarray(p, p + m.len));
        break;
      }
      case 'length': {
        const enc = encodeLength(m.value, m.form);
        const p = b.length === 0 ? 0 : m.pos % b.length;
        b = replaceRange(b, p, enc.length, enc);
        break;
      }
      case 'token': {
        if (dictionary.length === 0) break;
        b = replaceRange(b, at(m.pos), m.replace, dictionary[m.token % dictionary.length]!);
        break;
      }
    }
    if (b.length > maxLen) b = b.subarray(0, maxLen);
  }
  return b;
}

const pos = fc.nat({ max: 1 << 20 });

/** mutationArb generates one Mutation; `seeds` and `dictionary` sizes bound the indexes. */
export function mutationArb(): fc.Arbitrary<Mutation> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('flip' as const), pos, bit: fc.nat({ max: 7 }) }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('set' as const), pos, value: fc.oneof(fc.constantFrom(0, 1, 0x7f, 0x80, 0xff, 0x30, 0x2c, 0x22), fc.nat({ max: 255 })) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), pos }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), pos, len: fc.integer({ min: 1, max: 64 }) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('insert' as const), pos, data: fc.uint8Array({ minLength: 1, maxLength: 16 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('duplicate' as const), pos, len: fc.integer({ min: 1, max: 256 }), to: pos }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('splice' as const), other: fc.nat(), from: pos, len: fc.integer({ min: 1, max: 256 }), to: pos }) },
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant('length' as const),
        pos,
        value: fc.oneof(fc.constantFrom(...INTERESTING_VALUES), fc.nat()),
        form: fc.constantFrom('varint' as const, 'u32be' as const, 'u32le' as const, 'u64be' as const, 'ascii' as const),
      }),
    },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('token' as const), pos, token: fc.nat(), replace: fc.nat({ max: 4 }) }) },
  );
}

/** FuzzInput is one generated input and how it was made (printed with a failure). */
export interface FuzzInput {
  readonly bytes: Uint8Array;
  readonly origin: string;
}

/**
 * inputArb generates inputs: mostly seeds with 1-8 mutations (checksums repaired by fixup half the time),
 * sometimes raw random bytes or a seed unchanged.
 */
export function inputArb(
  seeds: readonly Uint8Array[],
  opts: { maxLen: number; dictionary?: readonly Uint8Array[]; fixup?: (b: Uint8Array) => Uint8Array },
): fc.Arbitrary<FuzzInput> {
  const dict = opts.dictionary ?? [];
  const random = fc.uint8Array({ maxLength: Math.min(opts.maxLen, 1024) }).map((b): FuzzInput => ({ bytes: b, origin: 'random' }));
  const random2 = fc.array(fc.nat(), { maxLength: 24 }).map((ix): FuzzInput => {
    // A random sequence of dictionary tokens: grammar-shaped noise for text parsers.
    const parts = dict.length === 0 ? [] : ix.map((i) => dict[i % dict.length]!);
    return { bytes: new Uint8Array(Buffer.concat(parts)), origin: 'tokens' };
  });
  const mutated = fc
    .record({ seed: fc.nat(), muts: fc.array(mutationArb(), { minLength: 1, maxLength: 8 }), fix: fc.boolean() })
    .map(({ seed, muts, fix }): FuzzInput => {
      let b = applyMutations(seeds, dict, seed, muts, opts.maxLen);
      if (fix && opts.fixup) b = opts.fixup(b);
      return { bytes: b, origin: `seed ${seed % seeds.length} ${fix && opts.fixup ? 'fixed ' : ''}${muts.map((m) => m.kind).join(',')}` };
    });
  const plain = fc.nat().map((i): FuzzInput => ({ bytes: seeds[i % seeds.length]!, origin: `seed ${i % seeds.length}` }));
  return fc.oneof({ weight: 16, arbitrary: mutated }, { weight: 2, arbitrary: random }, { weight: dict.length > 0 ? 2 : 0, arbitrary: random2 }, { weight: 1, arbitrary: plain });
}
