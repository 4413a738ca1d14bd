/** Logger is the pino-like subset the WAL logs through: a fields object, then a message. */
export interface Logger {
  /** warn logs something that was wrong but was handled. */
  warn(obj: object, msg: string): void;
  /** info logs a notable, expected event. */
  info(obj: object, msg: string): void;
}

/** noopLogger discards everything. */
export const noopLogger: Logger = {
  warn() {},
  info() {},
};
