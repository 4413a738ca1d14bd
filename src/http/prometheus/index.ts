export { prometheusApiRoutes, ACTIONS } from './routes.js';
export type { PrometheusApiDeps, MetadataSource, MetricMetadataEntry, ExemplarSource, ExemplarSeries, Exemplar, BuildInfo, QueryApiAuth, QueryService, QueryServiceRequest } from './deps.js';
export { ApiError, type ApiErrorType } from './api-error.js';
