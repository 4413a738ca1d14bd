/** HeadWAL is the part of the WAL the head writes to. */
export interface HeadWAL {
  /** log appends records; the promise resolves once they are durable. */
  log(records: readonly Uint8Array[]): Promise<void>;
}

/** HeadOptions configure a Head. */
export interface HeadOptions {
  /** chunkRange (ms) bounds chunks: no chunk spans a multiple of it (default 2h). */
  chunkRange: number;
  /** samplesPerChunk is the target number of samples per chunk (default 120). */
  samplesPerChunk: number;
  /** outOfOrderWindow (ms) is read on every out-of-order append; 0 rejects out-of-order samples. */
  outOfOrderWindow: () => number;
  /** wal receives series, samples and tombstones records; null means no durability (tests, benchmarks). */
  wal: HeadWAL | null;
  /** now is the clock (ms). */
  now?: () => number;
}

/** defaultHeadOptions returns the Prometheus defaults. */
export function defaultHeadOptions(): HeadOptions {
  return {
    chunkRange: 2 * 60 * 60 * 1000,
    samplesPerChunk: 120,
    outOfOrderWindow: () => 0,
    wal: null,
    now: () => Date.now(),
  };
}

/** validateHeadOptions throws a RangeError naming the first invalid option. */
export function validateHeadOptions(o: HeadOptions): void {
  if (!Number.isSafeInteger(o.chunkRange) || o.chunkRange <= 0) throw new RangeError(`head: chunkRange must be a positive integer (ms), got ${o.chunkRange}`);
  if (!Number.isSafeInteger(o.samplesPerChunk) || o.samplesPerChunk < 4) throw new RangeError(`head: samplesPerChunk must be an integer >= 4, got ${o.samplesPerChunk}`);
  if (typeof o.outOfOrderWindow !== 'function') throw new RangeError('head: outOfOrderWindow must be a function returning ms');
}
