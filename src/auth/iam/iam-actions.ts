import { randomUUID } from 'node:crypto';
import type { Principal } from '../../http/route-auth.js';
import type { ConditionValue } from '../policy/types.js';
import { IamError } from '../store/errors.js';
import type { SqliteIdentityStore } from '../store/identity-store.js';
import type { IamActionHandler, IamActionTable } from './action.js';
import { OIDC_ACTIONS } from './actions-oidc.js';
import { POLICY_ACTIONS } from './actions-policies.js';
import { ROLE_ACTIONS } from './actions-roles.js';
import { SERVICE_CREDENTIAL_ACTIONS } from './actions-service-credentials.js';
import { USER_ACTIONS } from './actions-users.js';
import { QueryParams } from './params.js';
import { errorXml, successXml } from './xml.js';

/** IAM_API_VERSION is the query-protocol Version IAM speaks. */
export const IAM_API_VERSION = '2010-05-08';

/** IAM_ACTIONS are all IAM actions Amphora implements, by name. */
export const IAM_ACTIONS: IamActionTable = { ...USER_ACTIONS, ...POLICY_ACTIONS, ...ROLE_ACTIONS, ...OIDC_ACTIONS, ...SERVICE_CREDENTIAL_ACTIONS };

/** IamAuthorize checks `iam:<Action>` on a resource ARN for the caller; it throws to deny (the dispatcher answers AccessDenied with its message). */
export type IamAuthorize = (action: string, resource: string, conditionKeys?: Record<string, ConditionValue>) => void;

/** IamDispatchOptions carry the request's caller and id. */
export interface IamDispatchOptions {
  /** caller is the authenticated principal (GetUser/CreateAccessKey/ListAccessKeys without UserName act on it). */
  caller?: Principal;
  /** requestId goes into ResponseMetadata/RequestId (default: a random UUID). */
  requestId?: string;
  /** jwksDir is where the amphora:jwks-file tag of CreateOpenIDConnectProvider may point (auth.jwksDir). */
  jwksDir?: string;
  /** onInternalError is told about unexpected failures (answered as ServiceFailure 500). */
  onInternalError?: (err: unknown, action: string) => void;
}

/** IamResponse is what the HTTP route sends: status and a text/xml body. */
export interface IamResponse {
  status: number;
  xml: string;
}

function lookup(action: string): IamActionHandler | undefined {
  return Object.hasOwn(IAM_ACTIONS, action) ? IAM_ACTIONS[action] : undefined;
}

function denied(err: unknown, action: string, resource: string, caller: Principal | undefined): IamError {
  if (err instanceof IamError && err.code === 'AccessDenied') return err;
  const msg = err instanceof Error && err.message ? err.message : `User: ${caller?.arn ?? 'anonymous'} is not authorized to perform: ${action} on resource: ${resource}`;
  return new IamError('AccessDenied', msg);
}

/**
 * handleIamAction runs one IAM query-protocol request (Action=..., Version=2010-05-08): authorises
 * `iam:<Action>` on the action's resource ARN, performs it (each write in one transaction: bad input
 * changes nothing) and renders AWS's XML response or error XML with IAM's HTTP status.
 */
export function handleIamAction(store: SqliteIdentityStore, authorize: IamAuthorize, params: URLSearchParams, options: IamDispatchOptions = {}): IamResponse {
  const requestId = options.requestId ?? randomUUID();
  const action = params.get('Action') ?? '';
  try {
    if (action === '') throw new IamError('MissingAction', 'Missing Action parameter');
    const version = params.get('Version');
    if (version !== null && version !== IAM_API_VERSION) throw new IamError('InvalidAction', `Could not find operation ${action} for version ${version}`);
    const handler = lookup(action);
    if (!handler) throw new IamError('InvalidAction', `The action ${action} is not valid for this web service.`);
    const call = { store, params: new QueryParams(params), caller: options.caller, ...(options.jwksDir !== undefined ? { jwksDir: options.jwksDir } : {}) };
    const resource = handler.resource(call);
    const iamAction = `iam:${action}`;
    const conditionKeys = handler.conditionKeys?.(call);
    try {
      authorize(iamAction, resource, conditionKeys);
    } catch (err) {
      throw denied(err, iamAction, resource, options.caller);
    }
    return { status: 200, xml: successXml(action, handler.run(call), requestId) };
  } catch (err) {
    if (err instanceof IamError) return { status: err.status, xml: errorXml(err.code, err.message, err.status, requestId) };
    options.onInternalError?.(err, action);
    return { status: 500, xml: errorXml('ServiceFailure', 'The request processing has failed because of an unknown error, exception or failure.', 500, requestId) };
  }
}
