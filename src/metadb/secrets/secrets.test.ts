import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nopLogger } from '../../model/logger.js';
import { openMetaDB, type MetaDB } from '../metadb.js';
import { sealedContext, sealPlaintext, type SealedColumn } from './columns.js';
import { formatKek, KekError, writeKekFile } from './kek.js';
import { openSecrets, pendingKekFile } from './open.js';
import { rotateKek } from './rotate.js';
import { kekId, SecretBox } from './secret-box.js';

const COL: SealedColumn = { table: 't_secrets', key: 'id', column: 'secret' };
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function fresh(): { dir: string; db: MetaDB } {
  const dir = mkdtempSync(join(tmpdir(), 'amphora-kek-'));
  dirs.push(dir);
  const db = openMetaDB(join(dir, 'meta.db'));
  db.exec('CREATE TABLE t_secrets (id TEXT PRIMARY KEY, secret TEXT NOT NULL)');
  return { dir, db };
}

function put(db: MetaDB, box: SecretBox, id: string, secret: string): void {
  db.prepare('INSERT INTO t_secrets (id, secret) VALUES (?, ?)').run(id, box.seal(secret, sealedContext(COL, id)));
}

function get(db: MetaDB, box: SecretBox, id: string): string {
  return box.open((db.prepare('SELECT secret FROM t_secrets WHERE id = ?').get(id) as { secret: string }).secret, sealedContext(COL, id));
}

describe('the key-encryption key', () => {
  it('is generated 0600 beside the data on first start and reused after', () => {
    const { dir, db } = fresh();
    const first = openSecrets(db, { settings: {}, dataDir: dir, logger: nopLogger });
    expect(first.generated).toBe(true);
    expect(first.kekFile).toBe(join(dir, 'kek'));
    expect(statSync(join(dir, 'kek')).mode & 0o777).toBe(0o600);
    put(db, first.box, 'a', 'secret-a');
    const again = openSecrets(db, { settings: {}, dataDir: dir, logger: nopLogger });
    expect(again.generated).toBe(false);
    expect(get(db, again.box, 'a')).toBe('secret-a');
  });

  it('refuses a wrong key with a clear error naming both key ids', () => {
    const { dir, db } = fresh();
    const right = openSecrets(db, { settings: {}, dataDir: dir, logger: nopLogger });
    const wrong = Buffer.alloc(32, 9);
    expect(() => openSecrets(db, { settings: { kek: formatKek(wrong) }, dataDir: dir, logger: nopLogger })).toThrow(KekError);
    expect(() => openSecrets(db, { settings: { kek: formatKek(wrong) }, dataDir: dir, logger: nopLogger })).toThrow(
      new RegExp(`from AMPHORA_KEK \\(key id ${kekId(wrong)}\\) is not the key meta.db's secrets are sealed with \\(key id ${right.box.keyId}\\)`),
    );
    expect(() => openSecrets(db, { settings: { kek: 'too-short' }, dataDir: dir, logger: nopLogger })).toThrow(/must be 32 bytes written as base64/);
  });

  it('does not replace a missing key file once secrets are sealed', () => {
    const { dir, db } = fresh();
    openSecrets(db, { settings: {}, dataDir: dir, logger: nopLogger });
    rmSync(join(dir, 'kek'));
    expect(() => openSecrets(db, { settings: {}, dataDir: dir, logger: nopLogger })).toThrow(/kek is missing, and meta.db's secrets are sealed under key/);
    expect(existsSync(join(dir, 'kek'))).toBe(false);
  });

  it('takes the key from AMPHORA_KEK (base64 or hex) and tightens a key file others could read', () => {
    const { dir, db } = fresh();
    const key = Buffer.alloc(32, 5);
    const env = openSecrets(db, { settings: { kek: key.toString('hex') }, dataDir: dir, logger: nopLogger });
    expect(env.source).toBe('AMPHORA_KEK');
    expect(env.box.keyId).toBe(kekId(key));
    writeFileSync(join(dir, 'other-kek'), formatKek(key), { mode: 0o644 });
    const file = openSecrets(db, { settings: { kekFile: join(dir, 'other-kek') }, dataDir: dir, logger: nopLogger });
    expect(file.box.keyId).toBe(kekId(key));
    expect(statSync(join(dir, 'other-kek')).mode & 0o777).toBe(0o600);
  });
});

describe('rotateKek', () => {
  it('re-seals every secret (plaintext too) under a new key, keeps the old key file as backup, and the old key no longer opens', () => {
    const { dir, db } = fresh();
    const old = openSecrets(db, { settings: {}, dataDir: dir, logger: nopLogger });
    put(db, old.box, 'a', 'secret-a');
    db.prepare("INSERT INTO t_secrets (id, secret) VALUES ('legacy', 'plain-legacy')").run();
    const oldKey = readFileSync(join(dir, 'kek'), 'utf8');
    const r = rotateKek(db, [COL], { settings: {}, dataDir: dir, logger: nopLogger });
    expect(r.resealed).toBe(2);
    expect(r.oldKeyId).toBe(old.box.keyId);
    expect(r.newKeyId).not.toBe(old.box.keyId);
    expect(readFileSync(r.backupFile!, 'utf8')).toBe(oldKey);
    expect(readFileSync(join(dir, 'kek'), 'utf8')).not.toBe(oldKey);
    expect(existsSync(pendingKekFile(join(dir, 'kek')))).toBe(false);
    const now = openSecrets(db, { settings: {}, dataDir: dir, logger: nopLogger });
    expect(now.box.keyId).toBe(r.newKeyId);
    expect(get(db, now.box, 'a')).toBe('secret-a');
    expect(get(db, now.box, 'legacy')).toBe('plain-legacy');
    expect(() => openSecrets(db, { settings: { kekFile: r.backupFile! }, dataDir: dir, logger: nopLogger })).toThrow(KekError);
  });

  it('with the key from AMPHORA_KEK, leaves the new key in <data-dir>/kek.new and reports it', () => {
    const { dir, db } = fresh();
    const key = formatKek(Buffer.alloc(32, 6));
    const old = openSecrets(db, { settings: { kek: key }, dataDir: dir, logger: nopLogger });
    put(db, old.box, 'a', 'secret-a');
    const r = rotateKek(db, [COL], { settings: { kek: key }, dataDir: dir, logger: nopLogger });
    expect(r.newKeyFile).toBe(join(dir, 'kek.new'));
    expect(readFileSync(r.newKeyFile!, 'utf8').trim()).toBe(r.newKey);
    expect(get(db, openSecrets(db, { settings: { kek: r.newKey! }, dataDir: dir, logger: nopLogger }).box, 'a')).toBe('secret-a');
  });

  it('recovers an interrupted rotation: completes it when the database switched, discards the new key when it did not', () => {
    const { dir, db } = fresh();
    const old = openSecrets(db, { settings: {}, dataDir: dir, logger: nopLogger });
    put(db, old.box, 'a', 'secret-a');
    // Crash before the commit: the pending key exists, the database still uses the old key.
    writeKekFile(pendingKekFile(join(dir, 'kek')), Buffer.alloc(32, 8));
    expect(openSecrets(db, { settings: {}, dataDir: dir, logger: nopLogger }).box.keyId).toBe(old.box.keyId);
    expect(existsSync(pendingKekFile(join(dir, 'kek')))).toBe(false);
    // Crash after the commit, before the renames: simulate by rotating, then putting the files back as they were.
    const oldText = readFileSync(join(dir, 'kek'));
    const r = rotateKek(db, [COL], { settings: {}, dataDir: dir, logger: nopLogger });
    writeFileSync(pendingKekFile(join(dir, 'kek')), readFileSync(join(dir, 'kek')), { mode: 0o600 });
    writeFileSync(join(dir, 'kek'), oldText);
    rmSync(r.backupFile!);
    const after = openSecrets(db, { settings: {}, dataDir: dir, logger: nopLogger });
    expect(after.box.keyId).toBe(r.newKeyId);
    expect(get(db, after.box, 'a')).toBe('secret-a');
    expect(readdirSync(dir).filter((f) => f.endsWith('.old'))).toHaveLength(1);
  });

  it('sealPlaintext leaves sealed values alone and counts what it sealed', () => {
    const { db } = fresh();
    const box = new SecretBox(Buffer.alloc(32, 1));
    put(db, box, 'a', 'x');
    db.prepare("INSERT INTO t_secrets (id, secret) VALUES ('b', 'plain')").run();
    expect(sealPlaintext(db, box, [COL])).toBe(1);
    expect(sealPlaintext(db, box, [COL])).toBe(0);
    expect(get(db, box, 'b')).toBe('plain');
  });
});
