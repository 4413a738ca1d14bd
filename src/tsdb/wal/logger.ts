import { nopLogger, type Logger as ModelLogger } from '../../model/logger.js';

/** Logger is the part of the shared structured logger the WAL uses: warn and info. */
export type Logger = Pick<ModelLogger, 'warn' | 'info'>;

/** noopLogger discards everything. */
export const noopLogger: Logger = nopLogger;
