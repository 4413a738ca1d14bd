import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAmphora, type RunningAmphora } from '../../src/app/amphora.js';
import { loadConfig } from '../../src/app/config.js';

/** ROOT is the root key pair the end-to-end tests configure. */
export const ROOT = { accessKeyId: 'AKIAE2EROOTEXAMPLE00', secretAccessKey: 'e2e-root-secret-key-for-amphora-tests-000' };

/** startTestAmphora runs the whole service in-process on a free port with a fresh data dir. */
export async function startTestAmphora(): Promise<RunningAmphora & { dataDir: string; stop: () => Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'amphora-e2e-'));
  const running = await startAmphora(
    loadConfig({ flags: { dataDir, listen: '127.0.0.1:0', logLevel: (process.env.AMPHORA_TEST_LOG as 'silent' | undefined) ?? 'silent', rootAccessKeyId: ROOT.accessKeyId, rootSecretAccessKey: ROOT.secretAccessKey } }),
  );
  return {
    ...running,
    dataDir,
    stop: async () => {
      await running.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
