import { compareLabels, type Labels } from '../../model/labels.js';
import { ByteWriter } from '../encoding/buffers.js';
import { crc32c } from '../encoding/crc32c.js';
import { INDEX_FORMAT_V2, MAGIC_INDEX, SERIES_ALIGN, compareUtf8, type ChunkMeta } from './format.js';

/** IndexWriterError reports misuse of the index writer: unsorted series, unknown symbols, bad chunk metas. */
export class IndexWriterError extends Error {
  override name = 'IndexWriterError';
}

/** collectSymbols returns the sorted distinct label names and values of the label sets. */
export function collectSymbols(all: Iterable<Labels>): string[] {
  const set = new Set<string>();
  for (const ls of all) {
    for (const l of ls) {
      set.add(l.name);
      set.add(l.value);
    }
  }
  return [...set].sort(compareUtf8);
}

/**
 * IndexWriter builds a v2 index in memory: give it every symbol up front, then the series
 * in label order with their chunk metas, then call finish() for the file's bytes.
 */
export class IndexWriter {
  private readonly w = new ByteWriter(1 << 16);
  private readonly symbolIndex = new Map<string, number>();
  private readonly symbols: readonly string[];
  private readonly postings = new Map<string, Map<string, number[]>>();
  private readonly all: number[] = [];
  private readonly tocSymbols: number;
  private readonly tocSeries: number;
  private lastLabels: Labels | null = null;
  private readonly body = new ByteWriter(256);
  private finished = false;

  constructor(symbols: readonly string[]) {
    this.symbols = symbols;
    const w = this.w;
    w.putBE32(MAGIC_INDEX);
    w.putByte(INDEX_FORMAT_V2);
    this.tocSymbols = w.len;
    const start = w.len;
    w.putBE32(0); // len, patched below
    w.putBE32(symbols.length);
    for (let i = 0; i < symbols.length; i++) {
      const s = symbols[i]!;
      if (i > 0 && compareUtf8(symbols[i - 1]!, s) >= 0) throw new IndexWriterError(`symbol ${JSON.stringify(s)} out of order`);
      this.symbolIndex.set(s, i);
      w.putUvarintStr(s);
    }
    this.finishSection(start);
    this.tocSeries = w.len;
  }

  /** finishSection patches the 4-byte length at start and appends the CRC of the body after it. */
  private finishSection(start: number): void {
    const buf = this.w.bytes();
    const len = this.w.len - start - 4;
    buf.writeUInt32BE(len, start);
    this.w.putBE32(crc32c(this.w.bytes(), start + 4, this.w.len));
  }

  private pad(align: number): void {
    while (this.w.len % align !== 0) this.w.putByte(0);
  }

  private sym(s: string): number {
    const i = this.symbolIndex.get(s);
    if (i === undefined) throw new IndexWriterError(`symbol entry for ${JSON.stringify(s)} does not exist`);
    return i;
  }

  /** addSeries appends a series (strictly after the previous one in label order) and returns its ref. */
  addSeries(labels: Labels, chunks: readonly ChunkMeta[]): number {
    if (this.finished) throw new IndexWriterError('addSeries after finish');
    if (this.lastLabels !== null && compareLabels(labels, this.lastLabels) <= 0) {
      throw new IndexWriterError('out-of-order series added');
    }
    for (let i = 0; i < chunks.length; i++) {
      const c = chunks[i]!;
      if (c.maxt < c.mint) throw new IndexWriterError(`chunk maxt ${c.maxt} is less than mint ${c.mint}`);
      if (i > 0 && c.mint <= chunks[i - 1]!.maxt) throw new IndexWriterError(`chunk mint ${c.mint} is not higher than previous chunk maxt ${chunks[i - 1]!.maxt}`);
      if (i > 0 && c.ref < chunks[i - 1]!.ref) throw new IndexWriterError(`unsorted chunk reference ${c.ref}`);
    }
    this.pad(SERIES_ALIGN);
    const ref = this.w.len / SERIES_ALIGN;
    if (ref > 0xffffffff) throw new IndexWriterError('index exceeds 64 GiB of series');
    const b = this.body;
    b.reset();
    b.putUvarint(labels.length);
    for (const l of labels) {
      b.putUvarint(this.sym(l.name));
      b.putUvarint(this.sym(l.value));
      let byValue = this.postings.get(l.name);
      if (!byValue) this.postings.set(l.name, (byValue = new Map()));
      const list = byValue.get(l.value);
      if (list) list.push(ref);
      else byValue.set(l.value, [ref]);
    }
    b.putUvarint(chunks.length);
    if (chunks.length > 0) {
      const c0 = chunks[0]!;
      b.putVarint(c0.mint);
      b.putUvarint(c0.maxt - c0.mint);
      b.putUvarint(c0.ref);
      let t0 = c0.maxt;
      let ref0 = c0.ref;
      for (let i = 1; i < chunks.length; i++) {
        const c = chunks[i]!;
        b.putUvarint(c.mint - t0);
        b.putUvarint(c.maxt - c.mint);
        b.putVarint(c.ref - ref0);
        t0 = c.maxt;
        ref0 = c.ref;
      }
    }
    this.w.putUvarint(b.len);
    this.w.putBytes(b.bytes());
    this.w.putBE32(crc32c(b.bytes()));
    this.all.push(ref);
    this.lastLabels = labels;
    return ref;
  }

  /** finish writes label indices, postings, the offset tables and the TOC; returns the whole file. */
  finish(): Buffer {
    if (this.finished) throw new IndexWriterError('finish called twice');
    this.finished = true;
    const w = this.w;
    const names = [...this.postings.keys()].sort(compareUtf8);
    const sortedValues = new Map<string, string[]>();
    for (const n of names) sortedValues.set(n, [...this.postings.get(n)!.keys()].sort(compareUtf8));

    // Label indices, one per name (no longer read by Prometheus, but 2.42 writes them).
    const labelIndicesStart = w.len;
    const labelIndexOffsets: number[] = [];
    for (const n of names) {
      this.pad(4);
      labelIndexOffsets.push(w.len);
      const start = w.len;
      const values = sortedValues.get(n)!;
      w.putBE32(0);
      w.putBE32(1);
      w.putBE32(values.length);
      for (const v of values) w.putBE32(this.sym(v));
      this.finishSection(start);
    }

    // Postings lists: all series first, then by name and value.
    const postingsStart = w.len;
    const entries: { name: string; value: string; offset: number }[] = [];
    const writePosting = (name: string, value: string, refs: readonly number[]): void => {
      this.pad(4);
      entries.push({ name, value, offset: w.len });
      const start = w.len;
      w.putBE32(0);
      w.putBE32(refs.length);
      for (const r of refs) w.putBE32(r);
      this.finishSection(start);
    };
    writePosting('', '', this.all);
    for (const n of names) {
      const byValue = this.postings.get(n)!;
      for (const v of sortedValues.get(n)!) writePosting(n, v, byValue.get(v)!);
    }

    const labelIndicesTable = w.len;
    let start = w.len;
    w.putBE32(0);
    w.putBE32(names.length);
    names.forEach((n, i) => {
      w.putUvarint(1);
      w.putUvarintStr(n);
      w.putUvarint(labelIndexOffsets[i]!);
    });
    this.finishSection(start);

    const postingsTable = w.len;
    start = w.len;
    w.putBE32(0);
    w.putBE32(entries.length);
    for (const e of entries) {
      w.putUvarint(2);
      w.putUvarintStr(e.name);
      w.putUvarintStr(e.value);
      w.putUvarint(e.offset);
    }
    this.finishSection(start);

    const tocStart = w.len;
    w.putBE64(this.tocSymbols);
    w.putBE64(this.tocSeries);
    w.putBE64(labelIndicesStart);
    w.putBE64(labelIndicesTable);
    w.putBE64(postingsStart);
    w.putBE64(postingsTable);
    w.putBE32(crc32c(w.bytes(), tocStart, w.len));
    return Buffer.from(w.bytes());
  }
}
