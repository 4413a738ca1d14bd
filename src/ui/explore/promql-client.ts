import type { PrometheusConfig } from '@prometheus-io/codemirror-promql/dist/esm/client/prometheus';
import type { Credentials } from '../lib/credentials';
import type { Params } from '../lib/escape';
import { signedFetch } from '../lib/sign';

/**
 * completionRemote is codemirror-promql's remote configuration for one workspace: its own HTTP client
 * (labels, label values, series, metadata) with every request signed by SigV4 in the browser.
 */
export function completionRemote(creds: Credentials, workspaceId: string): PrometheusConfig {
  const fetchFn = async (input: RequestInfo, init?: RequestInit): Promise<Response> => {
    const url = new URL(typeof input === 'string' ? input : input.url, window.location.origin);
    const query: Record<string, string[]> = {};
    for (const [k, v] of url.searchParams) (query[k] ??= []).push(v);
    const body = init?.body === undefined || init.body === null ? undefined : String(init.body);
    return signedFetch(creds, {
      service: 'aps',
      method: init?.method ?? 'GET',
      path: url.pathname,
      query: query as Params,
      ...(body !== undefined ? { body, contentType: 'application/x-www-form-urlencoded' } : {}),
      ...(init?.signal ? { signal: init.signal } : {}),
    });
  };
  return {
    url: `${window.location.origin}/workspaces/${encodeURIComponent(workspaceId)}`,
    httpMethod: 'POST',
    fetchFn,
    lookbackInterval: 12 * 60 * 60 * 1000,
    cache: { maxAge: 60_000 },
    httpErrorHandler: () => {},
  };
}
