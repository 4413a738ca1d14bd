import type { RouteAuth } from './route-auth.js';

/** MiB is 2^20 bytes. */
const MiB = 1024 * 1024;

/** BodyLimits are the request body caps per kind of route, enforced while the body streams (413 beyond). */
export interface BodyLimits {
  /** iamSts caps IAM and STS query-protocol bodies (policy documents are at most 6,144 characters, web identity tokens 20,000). */
  readonly iamSts: number;
  /** unsignedSts caps an unsigned STS body (AssumeRoleWithWebIdentity), read before any authentication. */
  readonly unsignedSts: number;
  /** controlPlane caps AMP control-plane JSON bodies (a 1 MB rule groups or alert manager definition, base64-encoded). */
  readonly controlPlane: number;
  /** dataPlane caps Prometheus API form bodies (query, series, alerts, silences); remote write sets its own limit. */
  readonly dataPlane: number;
  /** other caps every other route, including paths that match no route. */
  readonly other: number;
}

/** DEFAULT_BODY_LIMITS are Amphora's body caps. */
export const DEFAULT_BODY_LIMITS: BodyLimits = {
  iamSts: 1 * MiB,
  unsignedSts: 64 * 1024,
  controlPlane: 2 * MiB,
  dataPlane: 4 * MiB,
  other: 1 * MiB,
};

/** bodyLimitFor returns the body cap of a route from its declared auth (a route's own bodyLimit, such as remote write's, takes precedence). */
export function bodyLimitFor(auth: RouteAuth | 'public' | undefined, limits: BodyLimits = DEFAULT_BODY_LIMITS): number {
  if (auth === undefined || auth === 'public') return limits.other;
  if (auth.service === 'iam-sts') return limits.iamSts;
  return auth.errorShape === 'prometheus' ? limits.dataPlane : limits.controlPlane;
}

/** BodyTooLargeError is a request body over its route's cap (HTTP 413), with the cap in its message. */
export class BodyTooLargeError extends Error {
  override name = 'BodyTooLargeError';
  readonly statusCode = 413;
  readonly code = 'FST_ERR_CTP_BODY_TOO_LARGE';
  constructor(readonly limit: number, what = 'request body') {
    super(`${what} is larger than the ${limit}-byte limit of this API`);
  }
}
