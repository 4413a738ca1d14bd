import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Principal, RouteAuthLookup } from '../../http/route-auth.js';
import type { RoutePlugin } from '../../http/server.js';
import { routeAuth } from '../actions.js';
import { errorResponseXml, type QueryService } from '../authn/errors.js';
import { SigV4Error } from '../sigv4/errors.js';
import { queryProtocolParams } from '../authn/request.js';
import { handleStsAction, isStsAction, type StsCaller, type StsDeps } from './actions.js';
import { StsError } from './errors.js';

/** IamAuthorize checks an IAM action on a resource for the caller; throws the AccessDenied error. */
export type IamAuthorize = (action: string, resource: string, conditionKeys?: Record<string, string | string[] | boolean | number | undefined>) => void;

/** IamDispatcher runs one IAM query-protocol action: `(params, authorize, caller) => handleIamAction(store, authorize, params, { caller })`. */
export type IamDispatcher = (params: URLSearchParams, authorize: IamAuthorize, caller: Principal) => { status: number; xml: string } | Promise<{ status: number; xml: string }>;

/** IamStsRouteDeps are what the IAM/STS route needs. */
export interface IamStsRouteDeps extends StsDeps {
  /** iam serves IAM actions (Version 2010-05-08); without it IAM answers NotImplemented. */
  iam?: IamDispatcher;
  /** auth gives the routes their auth; default: the route table (routeAuth). */
  auth?: RouteAuthLookup;
}

const VERSIONS: Record<QueryService, string> = { iam: '2010-05-08', sts: '2011-06-15' };

function sendXml(reply: FastifyReply, status: number, xml: string, requestId?: string): FastifyReply {
  const rid = requestId ?? /<RequestId>([^<]*)<\/RequestId>/.exec(xml)?.[1] ?? randomUUID();
  return reply.code(status).header('x-amzn-requestid', rid).type('text/xml').send(xml);
}

function sendError(reply: FastifyReply, service: QueryService, code: string, message: string, status: number): FastifyReply {
  const rid = randomUUID();
  return sendXml(reply, status, errorResponseXml(service, code, message, status, rid), rid);
}

/**
 * iamStsRoutes registers `POST /` and `GET /`, the AWS query-protocol endpoint serving IAM (delegated
 * to deps.iam) and STS (GetCallerIdentity, AssumeRole, AssumeRoleWithWebIdentity, GetSessionToken),
 * chosen by the SigV4 credential scope's service; unsigned requests are STS (AssumeRoleWithWebIdentity).
 * Register it with the authentication hook from createAuthHook installed.
 */
export function iamStsRoutes(deps: IamStsRouteDeps): RoutePlugin {
  return (app: FastifyInstance) => {
    const handler = async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
      const service: QueryService = req.sigv4?.service === 'iam' ? 'iam' : 'sts';
      const params = queryProtocolParams(req);
      const action = params.get('Action');
      if (!action) return sendError(reply, service, 'MissingAction', 'Missing Action', 400);
      const version = params.get('Version');
      if (version !== null && version !== VERSIONS[service]) {
        return sendError(reply, service, 'InvalidAction', `Could not find operation ${action} for version ${version}`, 400);
      }
      try {
        if (service === 'iam') return await serveIam(deps, req, reply, params);
        if (!isStsAction(action)) return sendError(reply, 'sts', 'InvalidAction', `Could not find operation ${action} for version ${VERSIONS.sts}`, 400);
        const caller: StsCaller | undefined = req.principal
          ? { principal: req.principal, temporary: req.sigv4?.temporary ?? false, facts: { sourceIp: req.ip, secureTransport: req.protocol === 'https', method: req.method, path: '/' } }
          : undefined;
        const r = await handleStsAction(deps, action, caller, params);
        return sendXml(reply, r.status, r.xml);
      } catch (e) {
        if (e instanceof StsError) return sendError(reply, service, e.code, e.message, e.httpStatus);
        if (e instanceof SigV4Error) return sendError(reply, service, e.code === 'InvalidSignatureException' ? 'SignatureDoesNotMatch' : e.code, e.message, e.httpStatus);
        deps.logger.error({ action, err: (e as Error).message }, 'IAM/STS action failed');
        return sendError(reply, service, 'ServiceFailure', 'An internal error occurred', 500);
      }
    };
    const auth = deps.auth ?? routeAuth;
    app.post('/', { config: { auth: auth('POST', '/') } }, handler);
    app.get('/', { config: { auth: auth('GET', '/') } }, handler);
  };
}

async function serveIam(deps: IamStsRouteDeps, req: FastifyRequest, reply: FastifyReply, params: URLSearchParams): Promise<FastifyReply> {
  if (!req.principal || !req.authorize) return sendError(reply, 'iam', 'MissingAuthenticationToken', 'Request is missing Authentication Token', 403);
  if (req.sigv4?.temporary && (req.principal.type === 'user' || req.principal.type === 'root')) {
    // IAM refuses GetSessionToken credentials obtained without MFA.
    return sendError(reply, 'iam', 'InvalidClientTokenId', 'The security token included in the request is invalid', 403);
  }
  if (!deps.iam) return sendError(reply, 'iam', 'NotImplemented', 'The IAM API is not wired into this Amphora build', 501);
  const r = await deps.iam(params, req.authorize, req.principal);
  return sendXml(reply, r.status, r.xml);
}
