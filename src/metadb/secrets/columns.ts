import type { MetaDB } from '../metadb.js';
import { SecretBox } from './secret-box.js';

/** SealedColumn names a TEXT column of the metadata database whose values are sealed secrets, and the column that keys its rows. */
export interface SealedColumn {
  readonly table: string;
  readonly key: string;
  readonly column: string;
}

/** sealedContext is the additional authenticated data of a sealed value: table, column and row key. */
export function sealedContext(c: SealedColumn, rowKey: string): string {
  return `${c.table}.${c.column}:${rowKey}`;
}

function tableExists(db: MetaDB, table: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !== undefined;
}

/** reseal rewrites every value of the columns under `to`: plaintext is sealed, values sealed by `from` are re-sealed; returns how many changed. Run inside a transaction. */
function reseal(db: MetaDB, from: SecretBox | null, to: SecretBox, columns: readonly SealedColumn[]): number {
  let n = 0;
  for (const c of columns) {
    if (!tableExists(db, c.table)) continue;
    const rows = db.prepare(`SELECT ${c.key} AS k, ${c.column} AS v FROM ${c.table}`).all() as { k: string; v: string }[];
    const update = db.prepare(`UPDATE ${c.table} SET ${c.column} = ? WHERE ${c.key} = ?`);
    for (const { k, v } of rows) {
      const ctx = sealedContext(c, k);
      if (SecretBox.isSealed(v) && (from === null || SecretBox.sealedKeyId(v) === to.keyId)) continue;
      const plain = SecretBox.isSealed(v) ? from!.open(v, ctx) : v;
      update.run(to.seal(plain, ctx), k);
      n++;
    }
  }
  return n;
}

/**
 * sealPlaintext seals, in one transaction, every value of the columns still in plaintext (rows
 * written before secrets were encrypted); returns how many it sealed. When it sealed any, the WAL
 * is checkpointed and truncated so the plaintext does not linger in meta.db-wal (freed pages are
 * zeroed: openMetaDB sets secure_delete).
 */
export function sealPlaintext(db: MetaDB, box: SecretBox, columns: readonly SealedColumn[]): number {
  const n = db.transaction(() => reseal(db, null, box, columns))();
  if (n > 0 && !db.memory) db.pragma('wal_checkpoint(TRUNCATE)');
  return n;
}

/** resealColumns re-encrypts every value of the columns from one key to another (plaintext too); run it inside the caller's transaction. */
export function resealColumns(db: MetaDB, from: SecretBox, to: SecretBox, columns: readonly SealedColumn[]): number {
  return reseal(db, from, to, columns);
}
