export { prometheusApiRoutes } from './routes.js';
export type { PrometheusApiDeps, BuildInfo, QueryService, QueryServiceRequest } from './deps.js';
export { ApiError, type ApiErrorType } from './api-error.js';
