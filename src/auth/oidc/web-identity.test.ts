import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { captureLogger, newClock, newStore } from '../authn/fixture.test-util.js';
import { handleIamAction } from '../iam/iam-actions.js';
import { WebIdentityError } from './errors.js';
import { JwksSource } from './jwks.js';
import { checkJwksFile, JwksFileError } from './jwks-file.js';
import { SIGNATURE_UNVERIFIED_MESSAGE } from './jwt.js';
import { verifyWebIdentity } from './web-identity.js';

function signJwt(key: KeyObject, claims: object): string {
  const enc = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  const input = `${enc({ alg: 'RS256', kid: 'k1' })}.${enc(claims)}`;
  return `${input}.${createSign('sha256').update(input).sign(key).toString('base64url')}`;
}

async function failure(p: Promise<unknown>): Promise<WebIdentityError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  if (!(e instanceof WebIdentityError)) throw new Error(`expected a WebIdentityError, got ${String(e)}`);
  return e;
}

describe('web identity: exact issuers and local JWKS files only under auth.jwksDir', () => {
  const root = mkdtempSync(join(tmpdir(), 'amphora-webid-'));
  const jwksDir = join(root, 'jwks');
  const outside = join(root, 'outside');
  mkdirSync(jwksDir);
  mkdirSync(outside);
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const clock = newClock();
  const key = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwks = JSON.stringify({ keys: [{ ...key.publicKey.export({ format: 'jwk' }), kid: 'k1' }] });
  writeFileSync(join(jwksDir, 'good.json'), jwks);
  writeFileSync(join(outside, 'elsewhere.json'), jwks);
  writeFileSync(join(jwksDir, 'broken.json'), '{ not json');
  symlinkSync(join(outside, 'elsewhere.json'), join(jwksDir, 'escape.json'));
  const store = newStore(clock);
  const { logger, entries } = captureLogger();
  const source = new JwksSource({ now: clock.now, jwksDir, logger, fetch: (async () => new Response('no network in this test', { status: 500 })) as typeof fetch });
  const provider = (url: string, file: string): void => void store.oidcProviders.create({ url, clientIds: ['sts.amazonaws.com'], jwksFile: file });
  provider('https://idp.example/id/1', join(jwksDir, 'good.json'));
  const claims = (iss: string): object => ({ iss, sub: 'system:serviceaccount:ns:sa', aud: 'sts.amazonaws.com', exp: Math.floor(clock.now() / 1000) + 600 });
  const verify = (token: string) => verifyWebIdentity(token, { store, jwks: source, now: clock.now });

  it('matches the issuer exactly as registered: scheme, host and path', async () => {
    expect((await verify(signJwt(key.privateKey, claims('https://idp.example/id/1')))).subject).toBe('system:serviceaccount:ns:sa');
    for (const iss of ['http://idp.example/id/1', 'https://idp.example/id/1/', 'idp.example/id/1', 'HTTPS://idp.example/id/1', 'https://idp.example/id/1//']) {
      const e = await failure(verify(signJwt(key.privateKey, claims(iss))));
      expect(e.code, iss).toBe('InvalidIdentityToken');
      expect(e.message, iss).toMatch(/No OpenIDConnect provider found/);
    }
  });

  it('reads a JWKS file only under auth.jwksDir and tells unsigned callers nothing about it', async () => {
    provider('https://outside.example/1', join(outside, 'elsewhere.json'));
    provider('https://escape.example/1', join(jwksDir, 'escape.json'));
    provider('https://missing.example/1', join(jwksDir, 'missing.json'));
    provider('https://broken.example/1', join(jwksDir, 'broken.json'));
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const badSignature = await failure(verify(signJwt(other.privateKey, claims('https://idp.example/id/1'))));
    expect(badSignature.message).toBe(SIGNATURE_UNVERIFIED_MESSAGE);
    entries.length = 0;
    for (const iss of ['https://outside.example/1', 'https://escape.example/1', 'https://missing.example/1', 'https://broken.example/1']) {
      const e = await failure(verify(signJwt(key.privateKey, claims(iss))));
      // The same answer as a bad signature: no hint whether the file exists, parses or is allowed.
      expect({ code: e.code, message: e.message }, iss).toEqual({ code: 'InvalidIdentityToken', message: SIGNATURE_UNVERIFIED_MESSAGE });
    }
    const reasons = entries.map((e) => String(e.obj['reason']));
    expect(reasons).toEqual([
      expect.stringMatching(/not under auth.jwksDir/),
      expect.stringMatching(/not under auth.jwksDir/),
      expect.stringMatching(/does not exist/),
      expect.stringMatching(/not JSON/),
    ]);
  });

  it('CreateOpenIDConnectProvider refuses an amphora:jwks-file tag outside auth.jwksDir, missing or invalid, to the administrator', () => {
    const create = (file: string, dir: string | undefined) => {
      const q = new URLSearchParams({ Action: 'CreateOpenIDConnectProvider', Version: '2010-05-08', Url: `https://p${Math.random().toString(36).slice(2)}.example`, 'ClientIDList.member.1': 'sts.amazonaws.com', 'Tags.member.1.Key': 'amphora:jwks-file', 'Tags.member.1.Value': file });
      return handleIamAction(store, () => {}, q, { caller: store.rootPrincipal(), ...(dir !== undefined ? { jwksDir: dir } : {}) });
    };
    expect(create(join(jwksDir, 'good.json'), jwksDir).status).toBe(200);
    const table: [string, string | undefined, RegExp][] = [
      [join(jwksDir, 'good.json'), undefined, /local JWKS files are disabled: set auth.jwksDir/],
      [join(outside, 'elsewhere.json'), jwksDir, /is not under auth.jwksDir/],
      [join(jwksDir, 'escape.json'), jwksDir, /is not under auth.jwksDir/],
      [join(jwksDir, '..', 'outside', 'elsewhere.json'), jwksDir, /is not under auth.jwksDir/],
      [join(jwksDir, 'missing.json'), jwksDir, /does not exist/],
      [join(jwksDir, 'broken.json'), jwksDir, /not readable JSON/],
      ['relative.json', jwksDir, /absolute path/],
    ];
    for (const [file, dir, re] of table) {
      const r = create(file, dir);
      expect(r.status, file).toBe(400);
      expect(r.xml, file).toMatch(/<Code>InvalidInput<\/Code>/);
      expect(r.xml, file).toMatch(re);
    }
    expect(() => checkJwksFile(jwksDir, jwksDir)).toThrow(JwksFileError);
  });
});
