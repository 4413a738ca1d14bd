import { describe, expect, it } from 'vitest';
import { blockMember } from './layout.js';

const ULID = '01HZX8Q7W3V2T9S8R7Q6P5N4M3';

describe('blockMember', () => {
  const ok: [string, 'file' | 'directory', string, string][] = [
    [`${ULID}/meta.json`, 'file', ULID, 'meta.json'],
    [`./${ULID}/chunks/000001`, 'file', ULID, 'chunks/000001'],
    ['index', 'file', '', 'index'],
    ['./tombstones', 'file', '', 'tombstones'],
    [`${ULID}/`, 'directory', ULID, ''],
    ['chunks/', 'directory', '', 'chunks'],
  ];
  it.each(ok)('places %s (%s)', (path, kind, root, rel) => {
    expect(blockMember(path, kind)).toEqual({ root, rel });
  });

  const bad: [string, 'file' | 'directory', RegExp][] = [
    ['../evil', 'file', /would leave the block directory/],
    [`${ULID}/../../etc/passwd`, 'file', /would leave/],
    ['/etc/passwd', 'file', /absolute paths/],
    ['chunks\\000001', 'file', /backslashes/],
    [`${ULID}/chunks/1`, 'file', /not part of a Prometheus block/],
    [`${ULID}/wal/00000000`, 'file', /not part of a Prometheus block/],
    [`${ULID}/index/x`, 'directory', /not part of a Prometheus block/],
    ['chunks', 'file', /not part of a Prometheus block/],
  ];
  it.each(bad)('refuses %s (%s)', (path, kind, message) => {
    expect(() => blockMember(path, kind)).toThrow(message);
  });
});
