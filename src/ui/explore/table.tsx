import type { QueryResult } from '../lib/prom';
import { seriesName } from './series-name';

/** ResultTable shows an instant query's result as Prometheus's table view does: one row per series with its value(s). */
export function ResultTable({ result }: { result: QueryResult }) {
  switch (result.resultType) {
    case 'vector':
      return (
        <table class="data-table result-table">
          <caption>{result.result.length} series</caption>
          <thead><tr><th scope="col">Series</th><th scope="col" class="num">Value</th></tr></thead>
          <tbody>
            {result.result.length === 0 ? (
              <tr><td colSpan={2} class="empty">Empty query result</td></tr>
            ) : (
              result.result.map((r) => (
                <tr>
                  <td><code>{seriesName(r.metric)}</code></td>
                  <td class="num">{r.value ? r.value[1] : r.histogram ? 'histogram' : ''}</td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      );
    case 'matrix':
      return (
        <table class="data-table result-table">
          <caption>{result.result.length} series</caption>
          <thead><tr><th scope="col">Series</th><th scope="col">Values</th></tr></thead>
          <tbody>
            {result.result.map((r) => (
              <tr>
                <td><code>{seriesName(r.metric)}</code></td>
                <td><code>{(r.values ?? []).map(([t, v]) => `${v} @${t}`).join('\n')}</code></td>
              </tr>
            ))}
          </tbody>
        </table>
      );
    case 'scalar':
    case 'string':
      return (
        <table class="data-table result-table">
          <caption>{result.resultType}</caption>
          <tbody><tr><td>{result.resultType}</td><td class="num">{result.result[1]}</td></tr></tbody>
        </table>
      );
  }
}
