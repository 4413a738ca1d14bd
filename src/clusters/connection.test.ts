import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConnectionError, resolveConnection } from './connection.js';

const dir = mkdtempSync(join(tmpdir(), 'amphora-conn-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('resolveConnection', () => {
  it('reads a kubeconfig context: server, CA data, client certificate files relative to it, token file re-read each time', () => {
    writeFileSync(join(dir, 'client.crt'), 'CERT');
    writeFileSync(join(dir, 'token'), 'first\n');
    const kc = join(dir, 'kubeconfig');
    writeFileSync(
      kc,
      [
        'apiVersion: v1',
        'current-context: a',
        'contexts:',
        '  - { name: a, context: { cluster: c1, user: u1 } }',
        '  - { name: b, context: { cluster: c2, user: u2 } }',
        'clusters:',
        `  - { name: c1, cluster: { server: "https://127.0.0.1:6443/", certificate-authority-data: ${Buffer.from('CA-PEM').toString('base64')} } }`,
        '  - { name: c2, cluster: { server: "https://127.0.0.2:6443", insecure-skip-tls-verify: true } }',
        'users:',
        `  - { name: u1, user: { client-certificate: client.crt, client-key-data: ${Buffer.from('KEY').toString('base64')} } }`,
        '  - { name: u2, user: { tokenFile: token } }',
      ].join('\n'),
    );
    const a = resolveConnection({ kubeconfig: kc });
    expect(a).toMatchObject({ apiServer: 'https://127.0.0.1:6443', ca: 'CA-PEM', cert: 'CERT', key: 'KEY', insecureSkipVerify: false });
    expect(a.token()).toBeUndefined();
    const b = resolveConnection({ kubeconfig: kc, context: 'b' });
    expect(b).toMatchObject({ apiServer: 'https://127.0.0.2:6443', insecureSkipVerify: true });
    expect(b.token()).toBe('first');
    writeFileSync(join(dir, 'token'), 'rotated');
    expect(b.token()).toBe('rotated');
    expect(resolveConnection({ kubeconfig: kc, apiServer: 'https://override:1' }).apiServer).toBe('https://override:1');
  });

  it('says what is missing', () => {
    expect(() => resolveConnection({})).toThrow(new ConnectionError('no API server: give apiServer or a kubeconfig'));
    expect(() => resolveConnection({ kubeconfig: join(dir, 'absent') })).toThrow(/cannot read the kubeconfig .*ENOENT/);
    writeFileSync(join(dir, 'bad'), 'current-context: nope\n');
    expect(() => resolveConnection({ kubeconfig: join(dir, 'bad') })).toThrow(/has no context "nope"/);
  });
});
