import { readFileSync } from 'node:fs';
import type { Label, Labels } from '../../model/labels.js';
import { StorageError } from '../../storage/errors.js';
import { ByteReader, EncodingError } from '../encoding/buffers.js';
import { crc32c } from '../encoding/crc32c.js';
import { EMPTY_POSTINGS, type Postings } from '../postings/postings.js';
import type { PostingsIndex } from '../postings/matchers.js';
import { INDEX_FORMAT_V2, INDEX_HEADER_LEN, INDEX_TOC_LEN, MAGIC_INDEX, SERIES_ALIGN, type ChunkMeta, type TOC } from './format.js';

/** IndexSeries is one series as the index stores it: labels and chunk metas. */
export interface IndexSeries {
  readonly labels: Labels;
  readonly chunks: readonly ChunkMeta[];
}

interface NameEntry {
  /** values sorted as in the file (UTF-8 byte order). */
  readonly values: string[];
  /** offsets[i] is the file offset of values[i]'s postings list. */
  readonly offsets: number[];
  readonly byValue: Map<string, number>;
}

const EMPTY_VALUES: readonly string[] = Object.freeze([]);

/**
 * IndexReader reads a v2 index held in one buffer. Construction verifies the header, the TOC
 * and the CRC of every section and series entry; any mismatch throws StorageError('corruption')
 * naming the file.
 */
export class IndexReader implements PostingsIndex {
  /** toc is the parsed table of contents. */
  readonly toc: TOC;
  private readonly syms: string[];
  private readonly names = new Map<string, NameEntry>();
  private readonly labelNameList: string[];
  private numSeries = 0;

  private constructor(
    private readonly buf: Buffer,
    /** name identifies the file in error messages. */
    readonly name: string,
  ) {
    try {
      if (buf.length < INDEX_HEADER_LEN + INDEX_TOC_LEN) throw this.corrupt(`index too short (${buf.length} bytes)`);
      const magic = buf.readUInt32BE(0);
      if (magic !== MAGIC_INDEX) throw this.corrupt(`invalid index magic number ${magic.toString(16)}`);
      if (buf[4] !== INDEX_FORMAT_V2) throw this.corrupt(`unsupported index format version ${buf[4]} (only v2 is supported)`);
      this.toc = this.readTOC();
      this.syms = this.readSymbols();
      this.verifySeries();
      this.verifyLabelIndices();
      this.readPostingsTable();
      this.labelNameList = [...this.names.keys()].filter((n) => n !== '');
    } catch (err) {
      if (err instanceof StorageError) throw err;
      throw this.corrupt((err as Error).message, err);
    }
  }

  /** open reads and verifies the index file at path. */
  static open(path: string): IndexReader {
    let buf: Buffer;
    try {
      buf = readFileSync(path);
    } catch (err) {
      throw new StorageError('corruption', `${path}: cannot read index: ${(err as Error).message}`, { cause: err });
    }
    return new IndexReader(buf, path);
  }

  /** fromBuffer verifies and wraps index bytes; name appears in error messages. */
  static fromBuffer(buf: Buffer, name = 'index'): IndexReader {
    return new IndexReader(buf, name);
  }

  private corrupt(what: string, cause?: unknown): StorageError {
    return new StorageError('corruption', `${this.name}: ${what}`, cause === undefined ? undefined : { cause });
  }

  /** section returns [bodyStart, bodyEnd) of the `len | body | crc` section at off, after checking its CRC. */
  private section(off: number, what: string): [number, number] {
    if (off + 4 > this.buf.length) throw this.corrupt(`${what} at ${off} beyond end of file`);
    const len = this.buf.readUInt32BE(off);
    const start = off + 4;
    const end = start + len;
    if (end + 4 > this.buf.length) throw this.corrupt(`${what} at ${off}: length ${len} beyond end of file`);
    if (crc32c(this.buf, start, end) !== this.buf.readUInt32BE(end)) throw this.corrupt(`${what} at ${off}: checksum mismatch`);
    return [start, end];
  }

  private readTOC(): TOC {
    const end = this.buf.length - 4;
    const start = this.buf.length - INDEX_TOC_LEN;
    if (crc32c(this.buf, start, end) !== this.buf.readUInt32BE(end)) throw this.corrupt('TOC checksum mismatch');
    const r = new ByteReader(this.buf, start, end);
    const toc: TOC = {
      symbols: r.be64(),
      series: r.be64(),
      labelIndices: r.be64(),
      labelIndicesTable: r.be64(),
      postings: r.be64(),
      postingsTable: r.be64(),
    };
    for (const [k, v] of Object.entries(toc)) {
      if (v > start) throw this.corrupt(`TOC entry ${k}=${v} beyond end of data`);
    }
    return toc;
  }

  private readSymbols(): string[] {
    if (this.toc.symbols === 0) return [];
    const [start, end] = this.section(this.toc.symbols, 'symbol table');
    const r = new ByteReader(this.buf, start, end);
    const n = r.be32();
    // Every symbol takes at least its length byte: a larger count is corrupt (and would size the array).
    if (n > r.remaining()) throw this.corrupt(`symbol table declares ${n} symbols in ${r.remaining()} bytes`);
    const out = new Array<string>(n);
    for (let i = 0; i < n; i++) out[i] = r.uvarintStr();
    return out;
  }

  private verifySeries(): void {
    if (this.toc.series === 0) return;
    const limit = this.toc.labelIndices || this.toc.postings || this.toc.labelIndicesTable || this.toc.postingsTable;
    let pos = this.toc.series;
    const buf = this.buf;
    while (pos < limit) {
      if (buf[pos] === 0) {
        pos++;
        continue;
      }
      if (pos % SERIES_ALIGN !== 0) throw this.corrupt(`series entry at ${pos} not 16-byte aligned`);
      const r = new ByteReader(buf, pos, limit);
      const len = r.uvarint();
      const start = r.pos;
      const end = start + len;
      if (end + 4 > limit) throw this.corrupt(`series entry at ${pos} runs past the series section`);
      if (crc32c(buf, start, end) !== buf.readUInt32BE(end)) throw this.corrupt(`series ${pos / SERIES_ALIGN}: checksum mismatch`);
      this.numSeries++;
      pos = end + 4;
    }
  }

  private verifyLabelIndices(): void {
    if (this.toc.labelIndicesTable === 0) return;
    const [start, end] = this.section(this.toc.labelIndicesTable, 'label offset table');
    const r = new ByteReader(this.buf, start, end);
    const n = r.be32();
    for (let i = 0; i < n; i++) {
      const keys = r.uvarint();
      for (let k = 0; k < keys; k++) r.uvarintStr();
      this.section(r.uvarint(), 'label index');
    }
  }

  private readPostingsTable(): void {
    if (this.toc.postingsTable === 0) return;
    const [start, end] = this.section(this.toc.postingsTable, 'postings offset table');
    const r = new ByteReader(this.buf, start, end);
    const n = r.be32();
    let cur: NameEntry | null = null;
    let curName = '';
    for (let i = 0; i < n; i++) {
      if (r.uvarint() !== 2) throw this.corrupt('unexpected number of keys in postings offset table');
      const name = r.uvarintStr();
      const value = r.uvarintStr();
      const off = r.uvarint();
      const [ps, pe] = this.section(off, `postings list ${name}=${JSON.stringify(value)}`);
      // postings() trusts the entry count: it must fit in the checksummed body (count <4b> | refs <4b each>).
      if (pe - ps < 4 || 4 + 4 * this.buf.readUInt32BE(ps) > pe - ps) throw this.corrupt(`postings list ${name}=${JSON.stringify(value)} at ${off}: entry count exceeds its length`);
      if (cur === null || name !== curName) {
        if (this.names.has(name)) throw this.corrupt(`postings offset table not sorted at ${name}`);
        cur = { values: [], offsets: [], byValue: new Map() };
        this.names.set(name, cur);
        curName = name;
      }
      cur.byValue.set(value, off);
      cur.values.push(value);
      cur.offsets.push(off);
    }
  }

  /** symbols lists the symbol table (sorted). */
  symbols(): readonly string[] {
    return this.syms;
  }

  /** seriesCount is the number of series entries in the index. */
  seriesCount(): number {
    return this.numSeries;
  }

  /** sizeBytes is the index file's size. */
  sizeBytes(): number {
    return this.buf.length;
  }

  /** labelNames lists the label names that occur, sorted. */
  labelNames(): readonly string[] {
    return this.labelNameList;
  }

  /** labelValues lists the values a label takes, sorted. */
  labelValues(name: string): readonly string[] {
    return this.names.get(name)?.values ?? EMPTY_VALUES;
  }

  /** postings returns the sorted series refs with name=value; ('', '') lists every series. */
  postings(name: string, value: string): Postings {
    const off = this.names.get(name)?.byValue.get(value);
    if (off === undefined) return EMPTY_POSTINGS;
    const b = this.buf;
    const n = b.readUInt32BE(off + 4);
    const out = new Array<number>(n);
    let p = off + 8;
    for (let i = 0; i < n; i++, p += 4) out[i] = b.readUInt32BE(p);
    return out;
  }

  /** series decodes the series with the given ref; throws StorageError('corruption') for a bad ref. */
  series(ref: number): IndexSeries {
    const off = ref * SERIES_ALIGN;
    if (ref <= 0 || off < this.toc.series || off >= this.buf.length) throw this.corrupt(`series ref ${ref} out of range`);
    try {
      const r = new ByteReader(this.buf, off);
      const len = r.uvarint();
      const end = r.pos + len;
      const body = new ByteReader(this.buf, r.pos, end);
      const nl = body.uvarint();
      // Counts size arrays: each label takes at least 2 bytes, each chunk at least 3.
      if (nl * 2 > body.remaining()) throw this.corrupt(`series ${ref}: label count ${nl} exceeds the entry`);
      const labels: Label[] = new Array(nl);
      for (let i = 0; i < nl; i++) labels[i] = { name: this.symbol(body.uvarint()), value: this.symbol(body.uvarint()) };
      const nc = body.uvarint();
      if (nc * 3 > body.remaining()) throw this.corrupt(`series ${ref}: chunk count ${nc} exceeds the entry`);
      const chunks: ChunkMeta[] = new Array(nc);
      if (nc > 0) {
        let mint = body.varint();
        let maxt = mint + body.uvarint();
        let cref = body.uvarint();
        chunks[0] = { mint, maxt, ref: cref };
        for (let i = 1; i < nc; i++) {
          mint = maxt + body.uvarint();
          maxt = mint + body.uvarint();
          cref += body.varint();
          chunks[i] = { mint, maxt, ref: cref };
        }
      }
      return { labels, chunks };
    } catch (err) {
      if (err instanceof EncodingError) throw this.corrupt(`series ${ref}: ${err.message}`, err);
      throw err;
    }
  }

  private symbol(i: number): string {
    const s = this.syms[i];
    if (s === undefined) throw this.corrupt(`unknown symbol ${i}`);
    return s;
  }
}
