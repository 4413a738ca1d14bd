import { describe, expect, it } from 'vitest';
import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { checkClaims, decodeJwt, verifyJwtSignature, type Jwk } from './jwt.js';
import { JwksSource } from './jwks.js';

function sign(key: KeyObject, alg: string, header: object, claims: object): string {
  const enc = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  const input = `${enc({ alg, ...header })}.${enc(claims)}`;
  const sig = createSign(alg.endsWith('384') ? 'sha384' : 'sha256').update(input).sign(alg.startsWith('ES') ? { key, dsaEncoding: 'ieee-p1363' } : key);
  return `${input}.${sig.toString('base64url')}`;
}

describe('JWT verification', () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const keys: Jwk[] = [
    { ...rsa.publicKey.export({ format: 'jwk' }), kid: 'r' },
    { ...ec.publicKey.export({ format: 'jwk' }), kid: 'e' },
  ];
  it('verifies RS256 and ES256, rejects tampering, other keys, alg none and HS256 (table)', () => {
    const claims = { sub: 's', exp: 2_000_000_000 };
    const good = [sign(rsa.privateKey, 'RS256', { kid: 'r' }, claims), sign(ec.privateKey, 'ES256', { kid: 'e' }, claims), sign(rsa.privateKey, 'RS256', {}, claims)];
    for (const t of good) expect(verifyJwtSignature(decodeJwt(t), keys).kid).toMatch(/^[re]$/);
    const rs = sign(rsa.privateKey, 'RS256', { kid: 'r' }, claims);
    const [h, , s] = rs.split('.');
    const bad: [string, string, RegExp][] = [
      ['tampered claims', `${h}.${Buffer.from(JSON.stringify({ sub: 'admin', exp: 2_000_000_000 })).toString('base64url')}.${s}`, /could not be verified/],
      ['wrong kid', sign(rsa.privateKey, 'RS256', { kid: 'e' }, claims), /could not be verified/],
      ['alg none', `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{}').toString('base64url')}.x`, /unsupported algorithm 'none'/],
      ['HS256', `${Buffer.from('{"alg":"HS256"}').toString('base64url')}.${Buffer.from('{}').toString('base64url')}.x`, /unsupported algorithm 'HS256'/],
    ];
    for (const [name, t, re] of bad) expect(() => verifyJwtSignature(decodeJwt(t), keys), name).toThrow(re);
  });

  it('checks exp, nbf, iat with skew, sub and audience (table)', () => {
    const now = 1_700_000_000_000;
    const s = now / 1000;
    const ok = { sub: 'x', aud: 'sts.amazonaws.com', exp: s + 60 };
    const table: [string, object, RegExp | string][] = [
      ['valid', ok, 'sts.amazonaws.com'],
      ['aud list', { ...ok, aud: ['other', 'sts.amazonaws.com'] }, 'sts.amazonaws.com'],
      ['azp wins', { ...ok, aud: 'other', azp: 'sts.amazonaws.com' }, 'sts.amazonaws.com'],
      ['expired within skew', { ...ok, exp: s - 100 }, 'sts.amazonaws.com'],
      ['expired', { ...ok, exp: s - 301 }, /Token expired/],
      ['no exp', { sub: 'x', aud: 'sts.amazonaws.com' }, /no exp/],
      ['nbf in the future', { ...ok, nbf: s + 400 }, /not yet valid/],
      ['iat in the future', { ...ok, iat: s + 400 }, /issued in the future/],
      ['no sub', { aud: 'sts.amazonaws.com', exp: s + 60 }, /no sub/],
      ['wrong aud', { ...ok, aud: 'x' }, /Incorrect token audience/],
    ];
    for (const [name, claims, want] of table) {
      const run = (): string => checkClaims(claims, { now, audiences: ['sts.amazonaws.com'] });
      if (typeof want === 'string') expect(run(), name).toBe(want);
      else expect(run, name).toThrow(want);
    }
  });

  it('JwksSource caches discovery and refetches for an unknown kid at most every minRefreshMs', async () => {
    let t = 0;
    const urls: string[] = [];
    const fake = (async (u: string | URL | Request) => {
      urls.push(String(u));
      const body = String(u).endsWith('/.well-known/openid-configuration') ? { jwks_uri: 'https://idp.example/keys' } : { keys };
      return new Response(JSON.stringify(body), { status: 200 });
    }) as typeof fetch;
    const src = new JwksSource({ now: () => t, fetch: fake });
    const p = { arn: 'a', url: 'idp.example', clientIds: [], thumbprints: [] };
    await src.keys(p, 'r');
    await src.keys(p, 'r');
    expect(urls).toEqual(['https://idp.example/.well-known/openid-configuration', 'https://idp.example/keys']);
    await src.keys(p, 'new');
    expect(urls.length).toBe(2);
    t = 61_000;
    await src.keys(p, 'new');
    expect(urls.length).toBe(4);
    const failing = new JwksSource({ now: () => 0, fetch: (async () => new Response('nope', { status: 500 })) as typeof fetch });
    await expect(failing.keys(p)).rejects.toThrow(/Couldn't retrieve verification key/);
  });
});
