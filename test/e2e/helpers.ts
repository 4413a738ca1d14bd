import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAmphora, type RunningAmphora } from '../../src/app/amphora.js';
import { loadConfig, type Config } from '../../src/app/config.js';

/** ROOT is the root key pair the end-to-end tests configure. */
export const ROOT = { accessKeyId: 'AKIAE2EROOTEXAMPLE00', secretAccessKey: 'e2e-root-secret-key-for-amphora-tests-000' };

/** startTestAmphora runs the whole service in-process on a free port with a fresh data dir. */
export async function startTestAmphora(flags: Partial<Config> = {}): Promise<RunningAmphora & { dataDir: string; stop: () => Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'amphora-e2e-'));
  const running = await startAmphora(
    loadConfig({ flags: { dataDir, listen: '127.0.0.1:0', logLevel: (process.env.AMPHORA_TEST_LOG as 'silent' | undefined) ?? 'silent', rootAccessKeyId: ROOT.accessKeyId, rootSecretAccessKey: ROOT.secretAccessKey, ...flags } }),
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

/** signedFetch sends a request to the server at address signed with SigV4 for 'aps' as ROOT. */
export async function signedFetch(address: string, method: string, path: string, body?: Uint8Array, headers: Record<string, string> = {}): Promise<Response> {
  const url = new URL(path, address);
  const signer = new SignatureV4({ service: 'aps', region: 'us-east-1', sha256: Hash.bind(null, 'sha256'), credentials: ROOT });
  const s = await signer.sign({ method, protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: url.pathname, query: Object.fromEntries(url.searchParams), headers: { host: url.host, ...headers }, body });
  const { host: _h, ...send } = s.headers as Record<string, string>;
  return fetch(url, { method, headers: send, body });
}
