import { createPublicKey, verify as cryptoVerify, type JsonWebKey, type KeyObject } from 'node:crypto';
import { WebIdentityError } from './errors.js';

/** JwtHeader is the JOSE header of a JWS. */
export interface JwtHeader {
  alg: string;
  kid?: string;
  typ?: string;
}

/** JwtClaims are a token's claims (registered ones typed, the rest as given). */
export interface JwtClaims {
  iss?: string;
  sub?: string;
  aud?: string | string[];
  azp?: string;
  exp?: number;
  nbf?: number;
  iat?: number;
  [claim: string]: unknown;
}

/** DecodedJwt is a compact JWS split and decoded, not yet verified. */
export interface DecodedJwt {
  header: JwtHeader;
  claims: JwtClaims;
  signingInput: string;
  signature: Buffer;
}

/** Jwk is a JSON Web Key as published in a JWKS. */
export type Jwk = JsonWebKey & { kid?: string; alg?: string; use?: string; kty?: string };

const ALGS: Record<string, { hash: string; kty: 'RSA' | 'EC'; pss?: boolean; p1363?: boolean }> = {
  RS256: { hash: 'sha256', kty: 'RSA' },
  RS384: { hash: 'sha384', kty: 'RSA' },
  RS512: { hash: 'sha512', kty: 'RSA' },
  PS256: { hash: 'sha256', kty: 'RSA', pss: true },
  ES256: { hash: 'sha256', kty: 'EC', p1363: true },
  ES384: { hash: 'sha384', kty: 'EC', p1363: true },
};

function invalid(message: string): WebIdentityError {
  return new WebIdentityError('InvalidIdentityToken', message);
}

function b64urlJson(part: string, what: string): Record<string, unknown> {
  try {
    const v = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw invalid(`The ${what} of the web identity token is not valid base64url-encoded JSON`);
}

/** decodeJwt splits a compact JWS and decodes its header and claims; throws InvalidIdentityToken when malformed. */
export function decodeJwt(token: string): DecodedJwt {
  const parts = token.trim().split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]*$/.test(p)) || parts[2] === '') {
    throw invalid('The web identity token is not a signed JWT (three base64url parts)');
  }
  const header = b64urlJson(parts[0]!, 'header');
  if (typeof header['alg'] !== 'string') throw invalid('The web identity token header has no alg');
  const claims = b64urlJson(parts[1]!, 'payload') as JwtClaims;
  return {
    header: { alg: header['alg'], ...(typeof header['kid'] === 'string' ? { kid: header['kid'] } : {}), ...(typeof header['typ'] === 'string' ? { typ: header['typ'] } : {}) },
    claims,
    signingInput: `${parts[0]}.${parts[1]}`,
    signature: Buffer.from(parts[2]!, 'base64url'),
  };
}

const keyCache = new WeakMap<Jwk, KeyObject | null>();

/** jwkToKey converts a public JWK to a KeyObject (null when Node cannot import it). */
export function jwkToKey(jwk: Jwk): KeyObject | null {
  if (keyCache.has(jwk)) return keyCache.get(jwk)!;
  let key: KeyObject | null = null;
  try {
    const k = createPublicKey({ key: jwk, format: 'jwk' });
    key = k.type === 'public' ? k : null;
  } catch {
    key = null;
  }
  keyCache.set(jwk, key);
  return key;
}

/** candidateKeys picks the keys a token may be signed with: by kid when the token names one, else every key of the algorithm's type. */
export function candidateKeys(jwt: DecodedJwt, keys: readonly Jwk[]): Jwk[] {
  const alg = ALGS[jwt.header.alg];
  if (!alg) return [];
  return keys.filter(
    (k) =>
      k.kty === alg.kty &&
      (k.use === undefined || k.use === 'sig') &&
      (k.alg === undefined || k.alg === jwt.header.alg) &&
      (jwt.header.kid === undefined || k.kid === jwt.header.kid),
  );
}

/** SIGNATURE_UNVERIFIED_MESSAGE is the answer for a token whose signature the provider's keys do not verify (also when its keys cannot be used). */
export const SIGNATURE_UNVERIFIED_MESSAGE = 'The web identity token signature could not be verified with the keys of the identity provider';

/** verifyJwtSignature checks the JWS signature against the candidate keys (RS256/384/512, PS256, ES256/384); throws InvalidIdentityToken. */
export function verifyJwtSignature(jwt: DecodedJwt, keys: readonly Jwk[]): Jwk {
  const alg = ALGS[jwt.header.alg];
  if (!alg) throw invalid(`The web identity token is signed with an unsupported algorithm '${jwt.header.alg}'`);
  const data = Buffer.from(jwt.signingInput, 'ascii');
  for (const jwk of candidateKeys(jwt, keys)) {
    const key = jwkToKey(jwk);
    if (!key) continue;
    const ok = cryptoVerify(
      alg.hash,
      data,
      alg.p1363 ? { key, dsaEncoding: 'ieee-p1363' } : alg.pss ? { key, padding: 6 /* RSA_PKCS1_PSS_PADDING */, saltLength: 32 } : key,
      jwt.signature,
    );
    if (ok) return jwk;
  }
  throw invalid(SIGNATURE_UNVERIFIED_MESSAGE);
}

/** ClaimChecks configure checkClaims. */
export interface ClaimChecks {
  /** now is the current time in ms. */
  now: number;
  /** skewMs is the tolerated clock difference (default 5 minutes). */
  skewMs?: number;
  /** audiences are the provider's client ids; the token's azp (when present) or one of its aud values must be listed. */
  audiences: readonly string[];
}

/** tokenAudience returns the audience STS checks: azp when present, else aud (first matching listed value when several). */
export function tokenAudience(claims: JwtClaims, audiences: readonly string[]): string | undefined {
  if (typeof claims.azp === 'string') return audiences.includes(claims.azp) ? claims.azp : undefined;
  const aud = typeof claims.aud === 'string' ? [claims.aud] : Array.isArray(claims.aud) ? claims.aud.filter((a): a is string => typeof a === 'string') : [];
  return aud.find((a) => audiences.includes(a));
}

/** checkClaims validates exp, nbf, iat (with skew), sub and the audience; returns the matched audience. */
export function checkClaims(claims: JwtClaims, c: ClaimChecks): string {
  const skew = c.skewMs ?? 300_000;
  const nowSec = Math.floor(c.now / 1000);
  if (typeof claims.exp !== 'number') throw invalid('The web identity token has no exp claim');
  if (c.now - skew >= claims.exp * 1000) {
    throw new WebIdentityError('ExpiredTokenException', `Token expired: current date/time ${nowSec} must be before the expiration date/time ${claims.exp}`);
  }
  if (typeof claims.nbf === 'number' && claims.nbf * 1000 > c.now + skew) throw invalid(`Token is not yet valid: nbf ${claims.nbf} is after ${nowSec}`);
  if (typeof claims.iat === 'number' && claims.iat * 1000 > c.now + skew) throw invalid(`Token issued in the future: iat ${claims.iat} is after ${nowSec}`);
  if (typeof claims.sub !== 'string' || claims.sub === '') throw invalid('The web identity token has no sub claim');
  const aud = tokenAudience(claims, c.audiences);
  if (aud === undefined) throw invalid('Incorrect token audience');
  return aud;
}
