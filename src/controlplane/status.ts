/** TRANSITIONAL maps each in-progress status to the status it settles into once its delay has passed. */
const TRANSITIONAL: Readonly<Record<string, string>> = {
  CREATING: 'ACTIVE',
  UPDATING: 'ACTIVE',
};

/** settledStatus returns a stored status as of now: CREATING/UPDATING become ACTIVE once `until` (ms) has passed. */
export function settledStatus(status: string, until: number, now: number): string {
  const next = TRANSITIONAL[status];
  return next !== undefined && now >= until ? next : status;
}

/** initialStatus is the status a change starts in: the transitional one, or already settled when there is no delay. */
export function initialStatus(transitional: 'CREATING' | 'UPDATING', delayMs: number): string {
  return delayMs > 0 ? transitional : 'ACTIVE';
}
