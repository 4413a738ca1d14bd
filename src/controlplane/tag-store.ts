import type { Statement } from 'better-sqlite3';
import type { MetaDB } from '../metadb/metadb.js';

/** Tags are a resource's tag map. */
export type Tags = Readonly<Record<string, string>>;

/** MAX_TAGS_PER_RESOURCE is AWS's limit of tags on one resource. */
export const MAX_TAGS_PER_RESOURCE = 50;

/** TagStore keeps tags by resource ARN in SQLite, with a write-through in-memory cache. */
export class TagStore {
  private readonly cache = new Map<string, Tags>();
  private readonly selectStmt: Statement<[string]>;
  private readonly upsertStmt: Statement<[string, string, string]>;
  private readonly deleteKeyStmt: Statement<[string, string]>;
  private readonly deleteAllStmt: Statement<[string]>;

  constructor(private readonly db: MetaDB) {
    this.selectStmt = db.prepare('SELECT key, value FROM cp_tags WHERE arn = ? ORDER BY key');
    this.upsertStmt = db.prepare('INSERT INTO cp_tags (arn, key, value) VALUES (?, ?, ?) ON CONFLICT (arn, key) DO UPDATE SET value = excluded.value');
    this.deleteKeyStmt = db.prepare('DELETE FROM cp_tags WHERE arn = ? AND key = ?');
    this.deleteAllStmt = db.prepare('DELETE FROM cp_tags WHERE arn = ?');
  }

  /** tagsOf returns a resource's tags ({} when it has none). */
  tagsOf(arn: string): Tags {
    let t = this.cache.get(arn);
    if (!t) {
      const out: Record<string, string> = {};
      for (const r of this.selectStmt.all(arn) as { key: string; value: string }[]) out[r.key] = r.value;
      t = Object.freeze(out);
      this.cache.set(arn, t);
    }
    return t;
  }

  /** wouldExceed reports whether adding tags would take the resource past MAX_TAGS_PER_RESOURCE. */
  wouldExceed(arn: string, tags: Tags): boolean {
    const keys = new Set([...Object.keys(this.tagsOf(arn)), ...Object.keys(tags)]);
    return keys.size > MAX_TAGS_PER_RESOURCE;
  }

  /** tag adds or overwrites tags (call inside the caller's transaction when combined with other writes). */
  tag(arn: string, tags: Tags): void {
    this.db.transaction(() => {
      for (const [k, v] of Object.entries(tags)) this.upsertStmt.run(arn, k, v);
    })();
    this.cache.delete(arn);
  }

  /** untag removes tag keys (absent keys are ignored, as AWS does). */
  untag(arn: string, keys: readonly string[]): void {
    this.db.transaction(() => {
      for (const k of keys) this.deleteKeyStmt.run(arn, k);
    })();
    this.cache.delete(arn);
  }

  /** removeAll drops every tag of a resource (when it is deleted). */
  removeAll(arn: string): void {
    this.deleteAllStmt.run(arn);
    this.cache.delete(arn);
  }
}
