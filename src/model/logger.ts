/** LogFn logs a message with optional structured fields first, as pino does. */
export interface LogFn {
  (obj: object, msg?: string): void;
  (msg: string): void;
}

/** Logger is the structured logger every module receives; pino's Logger satisfies it. */
export interface Logger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}

const nop: LogFn = () => {};

/** nopLogger discards everything (tests, benchmarks). */
export const nopLogger: Logger = { debug: nop, info: nop, warn: nop, error: nop };
