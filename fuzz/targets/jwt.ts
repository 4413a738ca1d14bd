import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { WebIdentityError } from '../../src/auth/oidc/errors.js';
import { checkClaims, decodeJwt, verifyJwtSignature, type Jwk } from '../../src/auth/oidc/jwt.js';
import { bytes, typedError, utf8, type FuzzTarget } from '../target.js';

const NOW = 1_700_000_000_000;
let ecKey: KeyObject;
let rsaKey: KeyObject;
let jwks: Jwk[] = [];

const b64 = (s: string | Buffer): string => Buffer.from(s).toString('base64url');

function signEs256(header: string, claims: string): string {
  const input = `${b64(header)}.${b64(claims)}`;
  return `${input}.${b64(sign('sha256', Buffer.from(input), { key: ecKey, dsaEncoding: 'ieee-p1363' }))}`;
}

function signRs256(header: string, claims: string): string {
  const input = `${b64(header)}.${b64(claims)}`;
  return `${input}.${b64(sign('sha256', Buffer.from(input), rsaKey))}`;
}

const CLAIMS = JSON.stringify({ iss: 'https://idp.example', sub: 'user-1', aud: 'amphora', exp: NOW / 1000 + 3600, iat: NOW / 1000 - 10, nbf: NOW / 1000 - 10 });
const DICTIONARY = ['.', '{', '}', '"alg"', '"ES256"', '"RS256"', '"none"', '"kid"', '"ec-1"', '"exp"', '1e400', '-1', 'null', '[]', '"aud"', '"azp"', '"sub"', ':', ',', '=', '+', '/', '\n'].map(bytes);

/**
 * jwtTarget fuzzes web-identity tokens: decoding, signature verification against a JWKS (EC and RSA keys),
 * and the claim checks. An input starting with '{' is "<header JSON>\n<claims JSON>" and is signed with the
 * EC key (so mutated claims reach the checks behind a valid signature); any other input is a compact token.
 */
export const jwtTarget: FuzzTarget = {
  name: 'jwt',
  maxLen: 4096,
  dictionary: DICTIONARY,
  async setup() {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    ecKey = ec.privateKey;
    rsaKey = rsa.privateKey;
    jwks = [
      { ...ec.publicKey.export({ format: 'jwk' }), kid: 'ec-1', alg: 'ES256', use: 'sig' },
      { ...rsa.publicKey.export({ format: 'jwk' }), kid: 'rsa-1' },
      { kty: 'RSA', kid: 'broken', n: 'AQAB', e: '' },
    ];
    return [
      `${JSON.stringify({ alg: 'ES256', kid: 'ec-1', typ: 'JWT' })}\n${CLAIMS}`,
      `${JSON.stringify({ alg: 'ES256' })}\n${JSON.stringify({ sub: 's', azp: 'amphora', aud: ['x', 'amphora'], exp: NOW / 1000 + 60 })}`,
      signEs256(JSON.stringify({ alg: 'ES256', kid: 'ec-1' }), CLAIMS),
      signRs256(JSON.stringify({ alg: 'RS256', kid: 'rsa-1' }), CLAIMS),
      signRs256(JSON.stringify({ alg: 'PS256', kid: 'broken' }), CLAIMS),
    ].map(bytes);
  },
  run(input) {
    const s = utf8(input);
    let token = s;
    if (s.startsWith('{')) {
      const nl = s.indexOf('\n');
      token = signEs256(s.slice(0, nl < 0 ? s.length : nl), nl < 0 ? '' : s.slice(nl + 1));
    }
    const jwt = decodeJwt(token);
    verifyJwtSignature(jwt, jwks);
    checkClaims(jwt.claims, { now: NOW, audiences: ['amphora'] });
  },
  expected: typedError(WebIdentityError),
};
