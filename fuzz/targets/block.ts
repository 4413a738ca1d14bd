import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { labelsFromRecord } from '../../src/model/labels.js';
import { newMatcher } from '../../src/model/matcher.js';
import { STALE_NAN } from '../../src/model/sample.js';
import { StorageError } from '../../src/storage/errors.js';
import { toFloatHistogram } from '../../src/model/histogram/convert.js';
import type { Histogram } from '../../src/model/histogram/types.js';
import { floatHistogramChunksFromSamples } from '../../src/tsdb/chunkenc/float-histogram.js';
import { histogramChunksFromSamples } from '../../src/tsdb/chunkenc/histogram.js';
import { chunkFromSamples, ENCODING_XOR } from '../../src/tsdb/chunkenc/xor.js';
import { Block } from '../../src/tsdb/block/block.js';
import { writeBlock, type ChunkSeries } from '../../src/tsdb/block/writer.js';
import { ChunkSegmentReader } from '../../src/tsdb/chunks/reader.js';
import { IndexReader } from '../../src/tsdb/index/reader.js';
import { EncodingError } from '../../src/tsdb/encoding/buffers.js';
import { bytes, typedError, type FuzzTarget } from '../target.js';
import { fixChunkCrcs, fixIndexCrcs, fixTrailingCrc } from './crc-fixup.js';
import { scratchRoot } from './scratch.js';

const T0 = 1_700_000_000_000;
const ALL = [newMatcher('=~', '__name__', '.+')];

function seedSeries(): ChunkSeries[] {
  const out: ChunkSeries[] = [];
  for (let i = 0; i < 6; i++) {
    const chunks = [];
    for (let c = 0; c < 2; c++) {
      const ts: number[] = [];
      const vs: number[] = [];
      for (let k = 0; k < 40; k++) {
        ts.push(T0 + (c * 40 + k) * 15_000 + (k % 3));
        vs.push(k === 7 ? STALE_NAN : i % 2 ? k * 1.5 : Math.sin(k) * 1e9);
      }
      chunks.push({ mint: ts[0]!, maxt: ts[ts.length - 1]!, encoding: ENCODING_XOR, data: chunkFromSamples(ts, vs).bytes().slice() });
    }
    out.push({ labels: labelsFromRecord({ __name__: i < 3 ? 'a_metric' : 'b_metric', i: String(i), job: i % 2 ? 'odd' : '\u00e9ven' }), chunks });
  }
  // A native histogram series: an integer histogram chunk, then a float histogram chunk.
  const hts = Array.from({ length: 30 }, (_, k) => T0 + k * 15_000);
  const h = (k: number): Histogram => ({
    counterResetHint: 0, schema: 2, zeroThreshold: 0.001, zeroCount: k, count: 3 * k + 1, sum: k * 0.7,
    positiveSpans: [{ offset: -2, length: 2 }], negativeSpans: [], positiveBuckets: [k + 1, k - 1], negativeBuckets: [],
  });
  const ih = histogramChunksFromSamples(hts.slice(0, 15).map((t, k) => ({ t, h: h(k) })))[0]!;
  const fh = floatHistogramChunksFromSamples(hts.slice(15).map((t, k) => ({ t, h: toFloatHistogram(h(k + 15)) })))[0]!;
  out.push({
    labels: labelsFromRecord({ __name__: 'c_histogram', job: 'odd' }),
    chunks: [
      { mint: hts[0]!, maxt: hts[14]!, encoding: ih.encoding(), data: ih.bytes().slice() },
      { mint: hts[15]!, maxt: hts[29]!, encoding: fh.encoding(), data: fh.bytes().slice() },
    ],
  });
  return out;
}

/** readAll opens a block and reads everything a query could: label names and values, every series and sample, every chunk through the windowed reader. */
function readAll(dir: string): void {
  const block = Block.open(dir);
  try {
    const q = block.querier(-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
    try {
      for (const name of q.labelNames([])) q.labelValues(name, []);
      const ss = q.select(true, undefined, ALL);
      while (ss.next()) {
        const it = ss.at().iterator();
        while (it.next()) {
          it.atT();
          it.atFloatHistogram?.();
        }
      }
      const sub = q.select(false, { start: T0 + 100_000, end: T0 + 200_000 }, [newMatcher('=', 'job', 'odd'), newMatcher('!=', 'i', '1')]);
      while (sub.next()) sub.at().iterator().next();
    } finally {
      q.close();
    }
  } finally {
    block.close();
  }
}

/** readChunksWindowed reads every chunk the index references through the pread window (the large-segment path). */
function readChunksWindowed(dir: string): void {
  const index = IndexReader.open(join(dir, 'index'));
  const chunks = new ChunkSegmentReader(join(dir, 'chunks'), { wholeFileLimit: 0, windowSize: 64 });
  try {
    const refs = index.postings('', '');
    for (let i = 0; i < refs.length; i++) for (const c of index.series(refs[i]!).chunks) chunks.chunk(c.ref);
  } finally {
    chunks.close();
  }
}

interface BlockHarness {
  root: string;
  /** work is the block directory whose one file each input replaces. */
  work: string;
}

function blockFileTarget(name: string, file: string, o: { fixup?: (b: Uint8Array) => Uint8Array; dictionary?: string[]; windowed?: boolean }): FuzzTarget {
  const h: BlockHarness = { root: '', work: '' };
  return {
    name,
    maxLen: 65_536,
    ...(o.dictionary ? { dictionary: o.dictionary.map(bytes) } : {}),
    ...(o.fixup ? { fixup: o.fixup } : {}),
    async setup() {
      h.root = mkdtempSync(join(scratchRoot(), `amphora-fuzz-${name}-`));
      const meta = await writeBlock(h.root, { mint: T0, maxt: T0 + 3_600_000, series: seedSeries(), now: () => T0 });
      const seedDir = join(h.root, meta.ulid);
      const b = Block.open(seedDir);
      b.delete(T0 + 60_000, T0 + 120_000, [newMatcher('=', 'job', 'odd')]);
      b.delete(T0, T0 + 15_000, [newMatcher('=', '__name__', 'b_metric')]);
      b.close();
      h.work = join(h.root, 'work', meta.ulid);
      cpSync(seedDir, h.work, { recursive: true });
      readAll(h.work);
      return [new Uint8Array(readFileSync(join(seedDir, file)))];
    },
    run(input) {
      writeFileSync(join(h.work, file), input);
      readAll(h.work);
      if (o.windowed) readChunksWindowed(h.work);
    },
    expected: typedError(StorageError, EncodingError),
    async teardown() {
      rmSync(h.root, { recursive: true, force: true });
    },
  };
}

/** blockIndexTarget fuzzes the block index reader (TOC, symbols, series, label indices, postings) through Block.open and a full read. */
export const blockIndexTarget = blockFileTarget('block-index', 'index', { fixup: fixIndexCrcs });
/** blockChunksTarget fuzzes chunk segment files and the XOR and histogram decoding of their chunks, whole-file and windowed. */
export const blockChunksTarget = blockFileTarget('block-chunks', join('chunks', '000001'), { fixup: fixChunkCrcs, windowed: true });
/** blockTombstonesTarget fuzzes the tombstones file and the deletion intervals applied at read time. */
export const blockTombstonesTarget = blockFileTarget('block-tombstones', 'tombstones', { fixup: fixTrailingCrc(5) });
/** blockMetaTarget fuzzes meta.json (JSON, ULID, time range, compaction, stats). */
export const blockMetaTarget = blockFileTarget('block-meta', 'meta.json', {
  dictionary: ['{', '}', '[', ']', '"', ':', ',', '"ulid"', '"minTime"', '"maxTime"', '"version"', '"compaction"', '"level"', '"sources"', '"stats"', '1e400', '-9007199254740993', 'null', '"01ARZ3NDEKTSV4RRFFQ69G5FAV"'],
});
