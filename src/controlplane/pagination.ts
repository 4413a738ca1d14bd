import { validationError } from './errors.js';

/** CreationKey orders a listed resource: creation time (ms), then id. */
export interface CreationKey {
  readonly c: number;
  readonly i: string;
}

/**
 * pageByCreation sorts items by creation time then id, keeps those after the opaque nextToken, and returns one
 * page of at most `max` with the token of the next (absent on the last page). A token that does not decode is a
 * ValidationException naming nextToken.
 */
export function pageByCreation<T>(items: readonly T[], keyOf: (t: T) => CreationKey, max: number, nextToken: string | undefined): { page: T[]; nextToken?: string } {
  let after: CreationKey | null = null;
  if (nextToken !== undefined && nextToken !== '') {
    try {
      const v = JSON.parse(Buffer.from(nextToken, 'base64url').toString('utf8')) as { c?: unknown; i?: unknown };
      if (typeof v.c !== 'number' || typeof v.i !== 'string') throw new Error('bad token');
      after = { c: v.c, i: v.i };
    } catch {
      throw validationError([{ name: 'nextToken', message: 'invalid pagination token' }]);
    }
  }
  const cmp = (a: CreationKey, b: CreationKey): number => a.c - b.c || (a.i < b.i ? -1 : a.i > b.i ? 1 : 0);
  const all = items.map((t) => ({ t, k: keyOf(t) })).sort((a, b) => cmp(a.k, b.k)).filter((e) => after === null || cmp(e.k, after) > 0);
  const page = all.slice(0, max);
  const last = page[page.length - 1];
  const token = all.length > max && last ? Buffer.from(JSON.stringify({ c: last.k.c, i: last.k.i })).toString('base64url') : undefined;
  return { page: page.map((e) => e.t), ...(token ? { nextToken: token } : {}) };
}
