import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openMetaDB, type MetaDB } from '../../metadb/metadb.js';
import { SecretBox, SecretBoxError } from '../../metadb/secrets/secret-box.js';
import { SqliteIdentityStore } from './identity-store.js';
import { AUTH_SEALED_COLUMNS } from './sealed-columns.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function dbFile(): string {
  const d = mkdtempSync(join(tmpdir(), 'amphora-sealed-'));
  dirs.push(d);
  return join(d, 'meta.db');
}

/** fileBytes is meta.db with its WAL and shared-memory files, as a local reader of the data dir would see them. */
function fileBytes(file: string): Buffer {
  return Buffer.concat([file, `${file}-wal`, `${file}-shm`].filter((f) => existsSync(f)).map((f) => readFileSync(f)));
}

const box = new SecretBox(Buffer.alloc(32, 3));

describe('secrets sealed in meta.db', () => {
  it('stores no secret access key, session secret or session token in plaintext (file bytes, WAL included)', () => {
    const file = dbFile();
    const db = openMetaDB(file);
    const store = new SqliteIdentityStore({ db, secrets: box });
    store.users.create({ userName: 'alice' });
    const key = store.accessKeys.create('alice');
    const session = store.createSessionCredentials({ principal: store.rootPrincipal(), expiresAt: Date.now() + 3_600_000 });
    expect(store.findAccessKey(key.accessKeyId)?.secretAccessKey).toBe(key.secretAccessKey);
    const found = store.findAccessKey(session.accessKeyId);
    expect(found?.secretAccessKey).toBe(session.secretAccessKey);
    expect(found?.sessionToken).toBe(session.sessionToken);
    const bytes = fileBytes(file);
    for (const secret of [key.secretAccessKey, session.secretAccessKey, session.sessionToken]) expect(bytes.includes(Buffer.from(secret))).toBe(false);
    // The key id is not secret, and is stored: the check above reads the right file.
    expect(bytes.includes(Buffer.from(key.accessKeyId))).toBe(true);
    db.close();
  });

  it('seals plaintext rows of an older database at start; they keep authenticating and leave no plaintext behind', () => {
    const file = dbFile();
    const plain: MetaDB = openMetaDB(file);
    const old = new SqliteIdentityStore({ db: plain, secrets: box });
    old.users.create({ userName: 'bob' });
    const created = old.accessKeys.create('bob');
    // Turn the rows back into what a database from before encryption holds.
    const secret = 'OLDplaintextSecretKey0123456789abcdefghij';
    const token = 'OLD-plaintext-session-token-0123456789';
    plain.prepare('UPDATE auth_access_keys SET secret = ? WHERE access_key_id = ?').run(secret, created.accessKeyId);
    plain.prepare("INSERT INTO auth_sessions (access_key_id, secret, session_token, principal, expires_at, created_at) VALUES ('ASIAOLDSESSION000001', ?, ?, ?, ?, 0)").run(
      secret + 'S',
      token,
      JSON.stringify(old.rootPrincipal()),
      Date.now() + 3_600_000,
    );
    plain.pragma('wal_checkpoint(TRUNCATE)');
    expect(fileBytes(file).includes(Buffer.from(secret))).toBe(true);
    plain.close();

    const db = openMetaDB(file);
    const store = new SqliteIdentityStore({ db, secrets: box });
    expect(store.findAccessKey(created.accessKeyId)?.secretAccessKey).toBe(secret);
    expect(store.findAccessKey('ASIAOLDSESSION000001')?.sessionToken).toBe(token);
    for (const c of AUTH_SEALED_COLUMNS) {
      const rows = db.prepare(`SELECT ${c.column} AS v FROM ${c.table}`).all() as { v: string }[];
      expect(rows.every((r) => SecretBox.isSealed(r.v)), `${c.table}.${c.column}`).toBe(true);
    }
    const bytes = fileBytes(file);
    for (const s of [secret, secret + 'S', token]) expect(bytes.includes(Buffer.from(s)), s).toBe(false);
    db.close();
  });

  it('refuses a sealed secret moved to another row, and one sealed under another key', () => {
    const db = openMetaDB(':memory:');
    const store = new SqliteIdentityStore({ db, secrets: box });
    store.users.create({ userName: 'carol' });
    const a = store.accessKeys.create('carol');
    const b = store.accessKeys.create('carol');
    const sealedA = (db.prepare('SELECT secret FROM auth_access_keys WHERE access_key_id = ?').get(a.accessKeyId) as { secret: string }).secret;
    db.prepare('UPDATE auth_access_keys SET secret = ? WHERE access_key_id = ?').run(sealedA, b.accessKeyId);
    expect(() => store.findAccessKey(b.accessKeyId)).toThrow(SecretBoxError);
    const other = new SecretBox(Buffer.alloc(32, 4));
    expect(() => other.open(sealedA, `auth_access_keys.secret:${a.accessKeyId}`)).toThrow(/sealed under key/);
  });
});
