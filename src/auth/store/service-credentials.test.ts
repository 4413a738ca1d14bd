import { describe, expect, it } from 'vitest';
import { openMetaDB } from '../../metadb/metadb.js';
import { SqliteIdentityStore } from './identity-store.js';
import { iamErrorCode } from './test-support.js';

function newStore(db = openMetaDB(':memory:')): SqliteIdentityStore {
  return new SqliteIdentityStore({ db, now: () => 1_700_000_000_000 });
}

const code = iamErrorCode;

describe('ServiceCredentialsRepo', () => {
  it('issues ACCA ids, <user>-at-<account> names and 44-character passwords, stored only as a hash', () => {
    const db = openMetaDB(':memory:');
    const s = newStore(db);
    s.users.create({ userName: 'jane' });
    const c = s.serviceCredentials.create('jane', 'aps.amazonaws.com');
    expect(c.serviceSpecificCredentialId).toMatch(/^ACCA[A-Z2-7]{16}$/);
    expect(c.serviceUserName).toBe('jane-at-000000000000');
    expect(c.servicePassword).toHaveLength(44);
    expect(c.status).toBe('Active');
    const stored = JSON.stringify(db.prepare('SELECT * FROM auth_service_credentials').all());
    expect(stored).toContain(c.serviceSpecificCredentialId);
    expect(stored).not.toContain(c.servicePassword!);
    expect(s.serviceCredentials.list('jane')[0]!.servicePassword).toBeUndefined();
  });

  it('verifies the password of either credential, ignoring the user name case, and nothing else', () => {
    const s = newStore();
    s.users.create({ userName: 'Jane' });
    const a = s.serviceCredentials.create('jane', 'aps.amazonaws.com');
    const b = s.serviceCredentials.create('jane', 'aps.amazonaws.com');
    expect(s.serviceCredentials.verify('Jane-at-000000000000', a.servicePassword!, 'aps.amazonaws.com')?.serviceSpecificCredentialId).toBe(a.serviceSpecificCredentialId);
    expect(s.serviceCredentials.verify('jane-at-000000000000', b.servicePassword!, 'aps.amazonaws.com')?.serviceSpecificCredentialId).toBe(b.serviceSpecificCredentialId);
    expect(s.serviceCredentials.verify('jane-at-000000000000', a.servicePassword! + 'x', 'aps.amazonaws.com')).toBeNull();
    expect(s.serviceCredentials.verify('jane-at-111111111111', a.servicePassword!, 'aps.amazonaws.com')).toBeNull();
    expect(s.serviceCredentials.verify('bob-at-000000000000', a.servicePassword!, 'aps.amazonaws.com')).toBeNull();
    expect(s.serviceCredentials.verify('jane', a.servicePassword!, 'aps.amazonaws.com')).toBeNull();
  });

  it('answers IAM errors: NotSupportedService, NoSuchEntity, LimitExceeded past two, DeleteConflict on the user', () => {
    const s = newStore();
    expect(code(() => s.serviceCredentials.create('nobody', 'aps.amazonaws.com'))).toBe('NoSuchEntity');
    s.users.create({ userName: 'jane' });
    expect(code(() => s.serviceCredentials.create('jane', 'codecommit.amazonaws.com'))).toBe('NotSupportedService');
    const a = s.serviceCredentials.create('jane', 'aps.amazonaws.com');
    s.serviceCredentials.create('jane', 'aps.amazonaws.com');
    expect(code(() => s.serviceCredentials.create('jane', 'aps.amazonaws.com'))).toBe('LimitExceeded');
    expect(code(() => s.users.delete('jane'))).toBe('DeleteConflict');
    expect(code(() => s.serviceCredentials.setStatus('jane', 'ACCANOSUCHCREDENTIAL', 'Inactive'))).toBe('NoSuchEntity');
    expect(code(() => s.serviceCredentials.setStatus('jane', a.serviceSpecificCredentialId, 'Disabled'))).toBe('ValidationError');
  });

  it('reset replaces the password at once; update and delete change status and existence', () => {
    const s = newStore();
    s.users.create({ userName: 'jane' });
    const a = s.serviceCredentials.create('jane', 'aps.amazonaws.com');
    const r = s.serviceCredentials.reset('jane', a.serviceSpecificCredentialId);
    expect(r.servicePassword).not.toBe(a.servicePassword);
    expect(s.serviceCredentials.verify(a.serviceUserName, a.servicePassword!, 'aps.amazonaws.com')).toBeNull();
    expect(s.serviceCredentials.verify(a.serviceUserName, r.servicePassword!, 'aps.amazonaws.com')?.status).toBe('Active');
    s.serviceCredentials.setStatus('jane', a.serviceSpecificCredentialId, 'Inactive');
    expect(s.serviceCredentials.verify(a.serviceUserName, r.servicePassword!, 'aps.amazonaws.com')?.status).toBe('Inactive');
    s.serviceCredentials.delete('jane', a.serviceSpecificCredentialId);
    expect(s.serviceCredentials.list('jane')).toEqual([]);
    expect(code(() => s.users.delete('jane'))).toBe('ok');
  });
});
