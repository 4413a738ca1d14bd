import { describe, expect, it } from 'vitest';
import { migrate, openMetaDB } from './metadb.js';

describe('metadb', () => {
  it('applies each migration once, per module', () => {
    const db = openMetaDB(':memory:');
    const steps = [
      { id: '001', sql: 'CREATE TABLE a (x INTEGER)' },
      { id: '002', sql: 'ALTER TABLE a ADD COLUMN y TEXT' },
    ];
    expect(migrate(db, 'm', steps)).toEqual(['001', '002']);
    expect(migrate(db, 'm', steps)).toEqual([]);
    expect(migrate(db, 'other', [{ id: '001', sql: 'CREATE TABLE b (x INTEGER)' }])).toEqual(['001']);
    db.prepare('INSERT INTO a (x, y) VALUES (1, ?)').run('z');
    expect(db.prepare('SELECT y FROM a').get()).toEqual({ y: 'z' });
  });
  it('rolls back a failing migration', () => {
    const db = openMetaDB(':memory:');
    expect(() => migrate(db, 'm', [{ id: '001', sql: 'CREATE TABLE a (x INTEGER); CREATE TABLE a (y INTEGER)' }])).toThrow();
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'a'").get()).toEqual({ n: 0 });
  });
});
