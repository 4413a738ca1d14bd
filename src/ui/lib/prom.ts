import type { Credentials } from './credentials';
import { ApiError } from './errors';
import { encodeParams, type Params } from './escape';
import { signedFetch } from './sign';

/** SampleValue is Prometheus's wire sample: [unix seconds, value as a string] (JSON has no NaN or Inf). */
export type SampleValue = [number, string];

/** Metric is a series' label set. */
export type Metric = Record<string, string>;

/** QueryResult is the `data` of /query and /query_range, as Prometheus sends it. */
export type QueryResult =
  | { readonly resultType: 'matrix'; readonly result: { metric: Metric; values?: SampleValue[]; histograms?: unknown[] }[] }
  | { readonly resultType: 'vector'; readonly result: { metric: Metric; value?: SampleValue; histogram?: unknown }[] }
  | { readonly resultType: 'scalar'; readonly result: SampleValue }
  | { readonly resultType: 'string'; readonly result: SampleValue };

/** QueryStats is `data.stats` with stats=all. */
export interface QueryStats {
  readonly timings?: Record<string, number>;
  readonly samples?: { totalQueryableSamples?: number; peakSamples?: number };
}

/** PromAnswer is a successful answer with the warnings and infos Prometheus attaches. */
export interface PromAnswer<T> {
  readonly data: T;
  readonly warnings: string[];
  readonly infos: string[];
}

/** promApiPath is the path of a workspace's Prometheus API endpoint. */
export function promApiPath(workspaceId: string, endpoint: string): string {
  return `/workspaces/${encodeURIComponent(workspaceId)}/api/v1/${endpoint}`;
}

/** promCall calls a workspace's Prometheus API, signed; POST sends the parameters as a form. Errors become ApiError with Prometheus's errorType. */
export async function promCall<T>(creds: Credentials, workspaceId: string, endpoint: string, params: Params = {}, opts: { method?: 'GET' | 'POST'; signal?: AbortSignal } = {}): Promise<PromAnswer<T>> {
  const method = opts.method ?? 'GET';
  const path = promApiPath(workspaceId, endpoint);
  const res = await signedFetch(creds, {
    service: 'aps',
    method,
    path,
    ...(method === 'GET' ? { query: params } : { body: encodeParams(params), contentType: 'application/x-www-form-urlencoded' }),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  const text = await res.text();
  let json: { status?: string; data?: T; error?: string; errorType?: string; message?: string; warnings?: string[]; infos?: string[] };
  try {
    json = JSON.parse(text) as typeof json;
  } catch {
    throw new ApiError(text.slice(0, 300) || res.statusText, res.status, 'bad_response');
  }
  if (!res.ok || json.status !== 'success') throw new ApiError(json.error ?? json.message ?? res.statusText, res.status, json.errorType ?? 'error');
  return { data: json.data as T, warnings: json.warnings ?? [], infos: json.infos ?? [] };
}
