/** FuzzTarget is one parser under fuzz: its seeds, how one input is run, and which errors are its expected ones. */
export interface FuzzTarget {
  /** name selects the target on the command line (`--target name`). */
  readonly name: string;
  /** maxLen caps generated and mutated inputs (bytes). */
  readonly maxLen: number;
  /** dictionary holds tokens the mutator may insert (keywords, delimiters, magic numbers). */
  readonly dictionary?: readonly Uint8Array[];
  /** setup builds the seeds (valid inputs) and any state run needs; called once per process. */
  setup(): Promise<Uint8Array[]>;
  /** fixup repairs checksums after a mutation so the input reaches the parser behind them (optional). */
  fixup?(input: Uint8Array): Uint8Array;
  /** run parses one input; it may return, or throw an error that `expected` accepts. */
  run(input: Uint8Array): void | Promise<void>;
  /** expected tells a parser's own, typed rejection from a crash. */
  expected(err: unknown): boolean;
  /** teardown releases what setup made. */
  teardown?(): Promise<void>;
}

/** FuzzCrash is the property's failure: an unexpected error, a slow input or runaway memory. */
export class FuzzCrash extends Error {
  override name = 'FuzzCrash';
}

/** hasInternalCause reports whether an error or one of its causes is a TypeError or RangeError thrown from inside a parser. */
export function hasInternalCause(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    // At the top, any of these is a crash. As the cause of the parser's own error, a RangeError or
    // SyntaxError is a bounds or syntax check the parser chose to wrap (e.g. JSON.parse, Buffer reads);
    // a TypeError or ReferenceError still means code ran on data it did not understand.
    const top = e instanceof TypeError || e instanceof RangeError || e instanceof ReferenceError || e instanceof SyntaxError;
    if (depth === 0 ? top : e instanceof TypeError || e instanceof ReferenceError) return true;
  }
  return false;
}

/** typedError builds an `expected` predicate: the error is one of the classes and carries no internal TypeError/RangeError as a cause. */
export function typedError(...classes: (abstract new (...args: never[]) => Error)[]): (err: unknown) => boolean {
  return (err) => classes.some((c) => err instanceof c) && !hasInternalCause(err);
}

/** utf8 decodes input bytes as UTF-8 (invalid sequences become U+FFFD, as an HTTP layer would give them). */
export function utf8(input: Uint8Array): string {
  return Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('utf8');
}

/** bytes encodes a string as UTF-8 bytes (seeds and dictionaries). */
export function bytes(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s, 'utf8'));
}
