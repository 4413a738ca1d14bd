import { ApiError } from './api-error.js';

/**
 * MAX_MAIN_THREAD_REGEX_BYTES caps a regex matcher compiled on the ingest thread (head select for the
 * query workers, /query_exemplars). RE2 matches in linear time, but compiling is superlinear in the
 * pattern: on the 2-core bench machine a 16 KiB pattern compiles in 70-200 ms, 64 KiB in up to 1 s,
 * which would hold every workspace's writes. Prometheus has no such cap; Grafana's multi-value
 * variables stay far below it.
 */
export const MAX_MAIN_THREAD_REGEX_BYTES = 16 * 1024;

/** checkMainThreadRegex refuses (bad_data, naming the limit) a regex matcher too long to compile on the ingest thread. */
export function checkMainThreadRegex(m: { readonly type: string; readonly name: string; readonly value: string }): void {
  if (m.type !== '=~' && m.type !== '!~') return;
  if (m.value.length <= MAX_MAIN_THREAD_REGEX_BYTES / 3) return;
  const bytes = Buffer.byteLength(m.value, 'utf8');
  if (bytes > MAX_MAIN_THREAD_REGEX_BYTES) {
    throw new ApiError(
      'bad_data',
      `the regular expression of the matcher on label ${JSON.stringify(m.name)} is ${bytes} bytes long, more than the limit of ${MAX_MAIN_THREAD_REGEX_BYTES} bytes for regex matchers (compiling one holds the ingest thread); use a shorter pattern or several selectors`,
    );
  }
}

/**
 * MAX_MAIN_THREAD_QUERY_BYTES caps a PromQL expression parsed on the ingest thread (/query_exemplars, /format_query,
 * /parse_query): parsing compiles its regex matchers, so this also bounds them as MAX_MAIN_THREAD_REGEX_BYTES does.
 */
export const MAX_MAIN_THREAD_QUERY_BYTES = MAX_MAIN_THREAD_REGEX_BYTES;

/** checkMainThreadQuery refuses (bad_data, naming the limit) a query too long to parse on the ingest thread. */
export function checkMainThreadQuery(query: string): void {
  if (query.length <= MAX_MAIN_THREAD_QUERY_BYTES / 3) return;
  const bytes = Buffer.byteLength(query, 'utf8');
  if (bytes > MAX_MAIN_THREAD_QUERY_BYTES) {
    throw new ApiError('bad_data', `the query is ${bytes} bytes long, more than the limit of ${MAX_MAIN_THREAD_QUERY_BYTES} bytes for this endpoint`);
  }
}
