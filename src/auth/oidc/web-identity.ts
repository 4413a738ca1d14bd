import type { IdentityStore, OidcProviderRecord } from '../authn/identity-store.js';
import { WebIdentityError } from './errors.js';
import { truncateEcho } from '../sigv4/redact.js';
import { issuerKey, issuerUrlOf, type JwksSource } from './jwks.js';
import { checkClaims, decodeJwt, verifyJwtSignature, type JwtClaims } from './jwt.js';

/** VerifiedWebIdentity is a web identity token that passed every check. */
export interface VerifiedWebIdentity {
  provider: OidcProviderRecord;
  claims: JwtClaims;
  /** issuer is the token's iss without its scheme, the prefix of the trust policy keys (<issuer>:sub, <issuer>:aud). */
  issuer: string;
  subject: string;
  /** audience is the matched client id (azp when present, else aud). */
  audience: string;
}

/** WebIdentityVerifierDeps are what verifyWebIdentity needs. */
export interface WebIdentityVerifierDeps {
  store: Pick<IdentityStore, 'findOidcProviderByIssuer'>;
  jwks: JwksSource;
  now: () => number;
  skewMs?: number;
}

/**
 * verifyWebIdentity checks an OIDC ID token as STS does for AssumeRoleWithWebIdentity: the issuer must
 * be a registered provider's URL exactly (scheme, host, path), the signature must verify against its JWKS (RS256/ES256/...), exp/nbf/iat
 * hold (with skew), sub is present and aud (or azp) is one of the provider's client ids.
 */
export async function verifyWebIdentity(token: string, deps: WebIdentityVerifierDeps): Promise<VerifiedWebIdentity> {
  const jwt = decodeJwt(token);
  const iss = jwt.claims.iss;
  if (typeof iss !== 'string' || iss === '') throw new WebIdentityError('InvalidIdentityToken', 'The web identity token has no iss claim');
  const issuer = issuerKey(iss);
  // The issuer must be the provider's URL exactly as registered: scheme, host and path (no http:// for
  // https://, no extra trailing slash, no schemeless form).
  const candidate = /^https?:\/\//.test(iss) ? deps.store.findOidcProviderByIssuer(iss) : null;
  const provider = candidate !== null && issuerUrlOf(candidate) === iss ? candidate : null;
  if (!provider) throw new WebIdentityError('InvalidIdentityToken', `No OpenIDConnect provider found in your account for ${truncateEcho(iss)}`);
  const keys = await deps.jwks.keys(provider, jwt.header.kid);
  verifyJwtSignature(jwt, keys);
  const audience = checkClaims(jwt.claims, { now: deps.now(), audiences: provider.clientIds, ...(deps.skewMs !== undefined ? { skewMs: deps.skewMs } : {}) });
  return { provider, claims: jwt.claims, issuer, subject: jwt.claims.sub as string, audience };
}
