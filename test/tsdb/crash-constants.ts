/** SERIES is the number of series each crash-test batch writes. */
export const SERIES = 50;
/** STEP_MS is the time between crash-test batches. */
export const STEP_MS = 1000;
