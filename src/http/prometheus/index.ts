export { prometheusApiRoutes } from './routes.js';
export type { PrometheusApiDeps, MetadataSource, MetricMetadataEntry, ExemplarSource, ExemplarSeries, Exemplar, BuildInfo } from './deps.js';
export { ApiError, type ApiErrorType } from './api-error.js';
