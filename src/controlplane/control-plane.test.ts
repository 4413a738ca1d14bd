import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openMetaDB } from '../metadb/metadb.js';
import { ControlPlane } from './control-plane.js';
import { renderAmpError } from './errors.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function setup(): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'amphora-cp-unit-'));
  dirs.push(dir);
  return { dir, file: join(dir, 'meta.db') };
}

describe('ControlPlane persistence', () => {
  it('keeps every resource on disk across a restart', () => {
    const { dir, file } = setup();
    let clock = 1_000_000;
    const opts = { region: 'eu-west-1', accountId: '111122223333', dataDir: dir, now: () => clock, transitionDelayMs: 100 };
    let db = openMetaDB(file);
    let cp = new ControlPlane({ db, ...opts });
    const w = cp.workspaces.create({ alias: 'a', tags: { k: 'v' }, kmsKeyArn: 'arn:aws:kms:eu-west-1:111122223333:key/abcd-ef' });
    cp.workspaces.updateConfiguration(w.workspaceId, { retentionPeriodInDays: 7, amphoraLimits: { maxActiveSeries: 10 } });
    cp.policies.put(w.workspaceId, '{"Statement":[]}', undefined);
    cp.logging.create(w.workspaceId, { kind: 'workspace', logGroupArn: 'arn:aws:logs:eu-west-1:111122223333:log-group:g:*' });
    cp.close();
    db.close();

    clock += 100;
    db = openMetaDB(file);
    cp = new ControlPlane({ db, ...opts });
    expect(cp.workspaces.describe(w.workspaceId)).toEqual({ ...w, status: 'ACTIVE' });
    expect(cp.workspaces.get(w.workspaceId)).toEqual({ workspaceId: w.workspaceId, arn: w.arn, status: 'ACTIVE', tags: { k: 'v' } });
    expect(cp.workspaces.limits(w.workspaceId)).toMatchObject({ retentionPeriodInDays: 7, maxActiveSeries: 10, maxLabelNamesPerSeries: 70 });
    expect(cp.resourcePolicy(`arn:aws:aps:eu-west-1:111122223333:rulegroupsnamespace/${w.workspaceId}/ns`)).toBe('{"Statement":[]}');
    expect(cp.logging.configOf(w.workspaceId, 'workspace')).toEqual({ kind: 'workspace', logGroupArn: 'arn:aws:logs:eu-west-1:111122223333:log-group:g:*' });
    cp.close();
    db.close();
  });

  it('resumes an interrupted deletion on start, removing data, hooks, logs and rows', async () => {
    const { dir, file } = setup();
    const deleted: string[] = [];
    const storage = { delete: async (id: string): Promise<void> => void deleted.push(`storage:${id}`) };
    let db = openMetaDB(file);
    let cp = new ControlPlane({ db, region: 'us-east-1', accountId: '000000000000', dataDir: dir, storage, transitionDelayMs: 0, deletionDelayMs: 60_000 });
    const w = cp.workspaces.create({ tags: { a: 'b' } });
    cp.deleteWorkspace(w.workspaceId);
    cp.close();
    db.close();
    expect(deleted).toEqual([]);
    mkdirSync(join(dir, 'logs', w.workspaceId), { recursive: true });
    writeFileSync(join(dir, 'logs', w.workspaceId, 'rules.jsonl'), '{}\n');

    db = openMetaDB(file);
    cp = new ControlPlane({ db, region: 'us-east-1', accountId: '000000000000', dataDir: dir, storage, transitionDelayMs: 0 });
    cp.addDeletionHook((id) => void deleted.push(`hook:${id}`));
    expect(cp.workspaces.describe(w.workspaceId).status).toBe('DELETING');
    expect(cp.workspaces.get(w.workspaceId)).toBeNull();
    await cp.whenIdle();
    expect(deleted).toEqual([`storage:${w.workspaceId}`, `hook:${w.workspaceId}`]);
    expect(cp.workspaces.exists(w.workspaceId)).toBe(false);
    expect(existsSync(join(dir, 'logs', w.workspaceId))).toBe(false);
    expect(db.prepare('SELECT COUNT(*) AS n FROM cp_tags').get()).toEqual({ n: 0 });
    cp.close();
    db.close();
  });
});

describe('renderAmpError', () => {
  it.each([
    [{ kind: 'ValidationException', message: 'm', reason: 'OTHER' } as const, 400, { message: 'm', reason: 'OTHER' }],
    [{ kind: 'ResourceNotFoundException', message: 'm', resourceId: 'i', resourceType: 't' } as const, 404, { message: 'm', resourceId: 'i', resourceType: 't' }],
    [{ kind: 'ConflictException', message: 'm', resourceId: 'i', resourceType: 't' } as const, 409, { message: 'm', resourceId: 'i', resourceType: 't' }],
    [{ kind: 'ServiceQuotaExceededException', message: 'm', resourceId: 'i', resourceType: 't', serviceCode: 's', quotaCode: 'q' } as const, 402, { message: 'm', resourceId: 'i', resourceType: 't', serviceCode: 's', quotaCode: 'q' }],
    [{ kind: 'ThrottlingException', message: 'm', retryAfterSeconds: 3 } as const, 429, { message: 'm' }],
    [{ kind: 'AccessDeniedException', message: 'm' } as const, 403, { message: 'm' }],
    [{ kind: 'InternalServerException', message: 'm' } as const, 500, { message: 'm' }],
  ])('%o → %i', (detail, status, body) => {
    const r = renderAmpError(detail);
    expect(r.status).toBe(status);
    expect(r.body).toEqual(body);
    expect(r.headers['x-amzn-errortype']).toBe(detail.kind);
    if (detail.kind === 'ThrottlingException') expect(r.headers['retry-after']).toBe('3');
  });
});
