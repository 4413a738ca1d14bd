import type { FastifyRequest } from 'fastify';

/** ErrorShape is how a route's clients expect errors: AWS restJson1, AWS query-protocol XML, or Prometheus's API JSON. */
export type ErrorShape = 'aws-json' | 'aws-xml' | 'prometheus';

/**
 * RouteAuth declares how a route is authenticated (SigV4) and authorised (IAM policy).
 * Every route sets `config: { auth }`; 'public' is only for health, readiness and self-metrics.
 */
export interface RouteAuth {
  /** service is the SigV4 signing name the credential scope must carry ('aps', or 'eks' for the cluster registry), or 'iam-sts' for the IAM/STS query API. */
  readonly service: 'aps' | 'eks' | 'iam-sts';
  /**
   * action is the IAM action (e.g. 'aps:RemoteWrite'); null when the handler authorises
   * itself with request.authorize() once it knows the action (IAM/STS `Action=` parameter).
   */
  readonly action: string | ((req: FastifyRequest) => string) | null;
  /** resource returns the ARN the action applies to (ignored when action is null). */
  readonly resource: (req: FastifyRequest) => string;
  /** errorShape renders authentication and authorisation failures the way this route's clients parse them. */
  readonly errorShape: ErrorShape;
  /** conditionKeys adds request-derived condition keys (e.g. aws:RequestTag/*, aws:TagKeys) to the route's policy check. */
  readonly conditionKeys?: (req: FastifyRequest) => ConditionKeys;
  /** dependentActions are further actions this request needs on the same resource (aps:TagResource for a create with tags). */
  readonly dependentActions?: (req: FastifyRequest) => readonly string[];
}

/** RouteAuthExtras are what a route adds to its table entry: request-derived condition keys. */
export interface RouteAuthExtras {
  readonly conditionKeys?: (req: FastifyRequest) => ConditionKeys;
}

/**
 * RouteAuthLookup gives a route its auth when it is registered, from its method and path: in the
 * server, the route → IAM action table (src/auth/actions.ts routeAuth); in tests without the
 * authentication hook, `() => 'public'`.
 */
export type RouteAuthLookup = (method: string, path: string, extras?: RouteAuthExtras) => RouteAuth | 'public';

/** ConditionKeys are extra IAM condition-key values of one request. */
export type ConditionKeys = Record<string, string | string[] | boolean | number | undefined>;

/** Principal is the authenticated caller of a request. */
export interface Principal {
  /** arn is e.g. arn:aws:iam::000000000000:user/alice or arn:aws:sts::000000000000:assumed-role/r/s. */
  readonly arn: string;
  readonly accountId: string;
  /** userId is the unique id (AIDA..., AROA...:session, or the account id for root). */
  readonly userId: string;
  readonly type: 'root' | 'user' | 'assumed-role' | 'federated';
  readonly accessKeyId: string;
  /** username for IAM users. */
  readonly username?: string;
  readonly tags?: Readonly<Record<string, string>>;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** auth declares the route's authentication and authorisation (see RouteAuth). */
    auth?: RouteAuth | 'public';
  }
  interface FastifyRequest {
    /** principal is set by the authentication hook for authenticated routes. */
    principal?: Principal;
    /** authorize checks an action on a resource for the request's principal; throws the route's AccessDenied error. */
    authorize?: (action: string, resource: string, conditionKeys?: Record<string, string | string[] | boolean | number | undefined>) => void;
  }
}
