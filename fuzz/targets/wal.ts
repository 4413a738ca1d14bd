import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { compressSync } from 'snappy';
import { labelsFromRecord } from '../../src/model/labels.js';
import { StorageError } from '../../src/storage/errors.js';
import { crc32c } from '../../src/tsdb/encoding/crc32c.js';
import { EncodingError } from '../../src/tsdb/encoding/buffers.js';
import { FRAG_FULL, FRAG_SNAPPY, PAGE_SIZE, RECORD_HEADER_SIZE, segmentPath } from '../../src/tsdb/wal/format.js';
import { readRecords } from '../../src/tsdb/wal/reader.js';
import * as rec from '../../src/tsdb/wal/records.js';
import { WAL } from '../../src/tsdb/wal/wal.js';
import { typedError, type FuzzTarget } from '../target.js';
import { scratchRoot } from './scratch.js';

const T0 = 1_700_000_000_000;

function records(big: boolean): Uint8Array[] {
  const n = big ? 3000 : 3;
  const series = rec.encodeSeriesRecord(Array.from({ length: n }, (_, i) => ({ ref: i + 1, labels: labelsFromRecord({ __name__: 'm', i: String(i), e: '\u00e9' }) })));
  const ix = Array.from({ length: n }, (_, i) => i);
  const samples = rec.encodeSamplesRecord(ix.map((i) => i + 1), ix.map((i) => T0 + i * 15_000), ix.map((i) => i * 0.25), n).slice();
  const stones = rec.encodeTombstonesRecord([{ ref: 1, intervals: [{ mint: T0, maxt: T0 + 1000 }, { mint: -5, maxt: 2 ** 53 - 1 }] }]);
  return [series, samples, stones];
}

/** snappySegment frames records as FULL fragments with snappy-compressed bodies (what Prometheus writes with wal_compression). */
function snappySegment(recs: readonly Uint8Array[]): Uint8Array {
  const out: number[] = [];
  for (const r of recs) {
    const body = compressSync(Buffer.from(r));
    const crc = crc32c(body);
    out.push(FRAG_FULL | FRAG_SNAPPY, body.length >> 8, body.length & 0xff, crc >>> 24, (crc >>> 16) & 0xff, (crc >>> 8) & 0xff, crc & 0xff, ...body);
  }
  return new Uint8Array(out);
}

/** fixWalCrcs repairs each fragment's CRC32C, walking fragments page by page as the reader does. */
export function fixWalCrcs(input: Uint8Array): Uint8Array {
  const b = input.slice();
  let p = 0;
  while (p + RECORD_HEADER_SIZE <= b.length) {
    const type = b[p]!;
    if (type === 0) {
      p = (Math.floor(p / PAGE_SIZE) + 1) * PAGE_SIZE;
      continue;
    }
    const len = (b[p + 1]! << 8) | b[p + 2]!;
    const start = p + RECORD_HEADER_SIZE;
    if (start + len > b.length) break;
    const crc = crc32c(b, start, start + len);
    b[p + 3] = crc >>> 24;
    b[p + 4] = (crc >>> 16) & 0xff;
    b[p + 5] = (crc >>> 8) & 0xff;
    b[p + 6] = crc & 0xff;
    p = start + len;
    if (PAGE_SIZE - (p % PAGE_SIZE) < RECORD_HEADER_SIZE) p = (Math.floor(p / PAGE_SIZE) + 1) * PAGE_SIZE;
  }
  return b;
}

function decode(r: Buffer): void {
  switch (rec.recordType(r)) {
    case rec.RECORD_SERIES:
      rec.decodeSeriesRecord(r);
      break;
    case rec.RECORD_SAMPLES:
      rec.decodeSamplesRecord(r, () => {});
      break;
    case rec.RECORD_TOMBSTONES:
      rec.decodeTombstonesRecord(r);
      break;
  }
}

let dir = '';
let walDir = '';

/**
 * walTarget fuzzes a WAL segment: page/fragment framing, CRCs, snappy fragments, record reassembly and the
 * series/samples/tombstones record decoders (replay), then WAL.open's repair of a torn last segment.
 */
export const walTarget: FuzzTarget = {
  name: 'wal',
  maxLen: 2 * PAGE_SIZE + 4096,
  fixup: fixWalCrcs,
  async setup() {
    dir = mkdtempSync(join(scratchRoot(), 'amphora-fuzz-wal-'));
    const seeds: Uint8Array[] = [];
    for (const big of [false, true]) {
      const d = join(dir, `seed-${big}`);
      const wal = await WAL.open(d, { sync: false });
      await wal.log(records(big));
      await wal.close();
      seeds.push(new Uint8Array(readFileSync(segmentPath(d, 0))));
    }
    seeds.push(snappySegment(records(false)));
    walDir = join(dir, 'wal');
    mkdirSync(walDir);
    return seeds;
  },
  async run(input) {
    writeFileSync(segmentPath(walDir, 0), input);
    await readRecords(walDir, {}, (r) => {
      try {
        decode(r);
      } catch (err) {
        // A record that does not decode is the replay's to report; only a crash escapes.
        if (!(err instanceof EncodingError)) throw err;
      }
    });
    // Opening repairs a torn last segment (truncates it); it costs a few file operations, so one input in eight.
    if (input.length % 8 === 0) {
      const wal = await WAL.open(walDir, { sync: false });
      await wal.close();
      // Opening added a segment (and may have truncated this one): start the next input from an empty dir.
      rmSync(walDir, { recursive: true, force: true });
      mkdirSync(walDir);
    }
  },
  expected: typedError(StorageError, EncodingError),
  async teardown() {
    rmSync(dir, { recursive: true, force: true });
  },
};
