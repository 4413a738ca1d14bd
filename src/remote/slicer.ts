import { setImmediate as yieldToLoop } from 'node:timers/promises';

/** SlicerOptions bound one slice of a long request's work. */
export interface SlicerOptions {
  /** sliceMs is the longest a slice should run before other work gets the event loop (default 5 ms). */
  sliceMs: number;
  /** checkEvery is how many units of work pass between clock reads (default 256). */
  checkEvery: number;
  /** now is the clock (performance.now by default). */
  now: () => number;
}

/** defaultSlicerOptions returns 5 ms slices with a clock read every 256 units. */
export function defaultSlicerOptions(): SlicerOptions {
  return { sliceMs: 5, checkEvery: 256, now: () => performance.now() };
}

/**
 * Slicer cuts a long loop (decoding a large write's series) into slices of about sliceMs, so
 * the event loop serves other requests in between: the loop calls `due()` per unit of work and,
 * when it is true, awaits `pause()`.
 */
export class Slicer {
  /** pauses counts the times the work gave the loop away. */
  pauses = 0;
  private readonly o: SlicerOptions;
  private n = 0;
  private started: number;

  constructor(opts: Partial<SlicerOptions> = {}) {
    this.o = { ...defaultSlicerOptions(), ...opts };
    this.started = this.o.now();
  }

  /** due counts one unit of work and reports whether the slice has run its time. */
  due(): boolean {
    if (++this.n < this.o.checkEvery) return false;
    this.n = 0;
    return this.o.now() - this.started >= this.o.sliceMs;
  }

  /** pause lets the event loop run everything waiting (I/O, timers, other requests), then starts a new slice. */
  async pause(): Promise<void> {
    this.pauses++;
    await yieldToLoop();
    this.started = this.o.now();
  }
}
