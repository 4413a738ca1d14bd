/** ApiErrorType is one of Prometheus's API error types (the `errorType` field). */
export type ApiErrorType = 'bad_data' | 'execution' | 'timeout' | 'canceled' | 'internal' | 'not_found' | 'unavailable' | 'too_many_requests';

/** ApiError is a failure rendered in Prometheus's error envelope; the HTTP status follows from its type. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly type: ApiErrorType,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * WorkspaceNotFoundError is an unknown workspace: AMP answers it in the AWS error shape
 * (404, x-amzn-errortype ResourceNotFoundException), as remote write does, not Prometheus's.
 */
export class WorkspaceNotFoundError extends ApiError {
  override name = 'WorkspaceNotFoundError';
  constructor(readonly workspaceId: string) {
    super('not_found', `Workspace not found: ${workspaceId}`);
  }
}

/**
 * statusOf maps an error type to its HTTP status: Prometheus's (canceled is nginx's 499, as
 * Prometheus 2.45+), except timeout, which AMP answers 422 ("HTTP 422 error: query timeout"),
 * and too_many_requests (a full query queue), 429 as Mimir's query frontend.
 */
export function statusOf(t: ApiErrorType): number {
  switch (t) {
    case 'bad_data':
      return 400;
    case 'execution':
      return 422;
    case 'timeout':
      return 422;
    case 'canceled':
      return 499;
    case 'internal':
      return 500;
    case 'not_found':
      return 404;
    case 'unavailable':
      return 503;
    case 'too_many_requests':
      return 429;
  }
}

/** invalidParam wraps a parameter error as Prometheus's invalidParamError does. */
export function invalidParam(message: string, param: string): ApiError {
  return new ApiError('bad_data', `invalid parameter ${JSON.stringify(param)}: ${message}`);
}
