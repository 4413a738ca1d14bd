import type { MetaDB } from '../../metadb/metadb.js';
import { sealedContext, type SealedColumn } from '../../metadb/secrets/columns.js';
import type { SecretBox } from '../../metadb/secrets/secret-box.js';
import type { RandomSource } from './ids.js';
import type { Tag } from './types.js';
import { iamArn as buildIamArn } from '../arn.js';

/** StoreContext is what every identity-store repository shares. */
export interface StoreContext {
  readonly db: MetaDB;
  readonly accountId: string;
  readonly now: () => number;
  readonly random: RandomSource;
  /** secrets seals the secret columns (src/auth/store/sealed-columns.ts) under the key-encryption key. */
  readonly secrets: SecretBox;
}

/** sealSecret seals a secret for one row of a sealed column. */
export function sealSecret(ctx: StoreContext, column: SealedColumn, rowKey: string, plaintext: string): string {
  return ctx.secrets.seal(plaintext, sealedContext(column, rowKey));
}

/** openSecret opens a sealed secret of one row of a sealed column. */
export function openSecret(ctx: StoreContext, column: SealedColumn, rowKey: string, sealed: string): string {
  return ctx.secrets.open(sealed, sealedContext(column, rowKey));
}

/** iamArn builds arn:aws:iam::<account>:<type><path><name> in the store's account (src/auth/arn.ts builds it). */
export function iamArn(ctx: StoreContext, type: 'user' | 'group' | 'role' | 'policy', path: string, name: string): string {
  return buildIamArn(ctx.accountId, type, path, name);
}

/** tagsFromJson decodes a stored tag list. */
export function tagsFromJson(json: string): Tag[] {
  return JSON.parse(json) as Tag[];
}

/** tagsToRecord turns a tag list into a key -> value record. */
export function tagsToRecord(tags: readonly Tag[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of tags) out[t.Key] = t.Value;
  return out;
}

/** inTransaction runs fn in one SQLite transaction (nested calls become savepoints): all of it or none. */
export function inTransaction<T>(ctx: StoreContext, fn: () => T): T {
  return ctx.db.transaction(fn)();
}

/** pathMatches tells whether an entity path starts with a PathPrefix filter. */
export function pathMatches(path: string, prefix: string | undefined): boolean {
  return prefix === undefined || path.startsWith(prefix);
}
