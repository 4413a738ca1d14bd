import { useEffect, useRef, useState } from 'preact/hooks';
import { Notice } from '../components/notice';
import { ApiError, errorMessage } from '../lib/errors';
import { formatDuration, parseDuration } from '../lib/duration';
import { navigate, routeHref, type Route } from '../lib/router';
import { useSession } from '../lib/session';
import { PromqlEditor, type EditorApi } from './editor';
import { Graph } from './graph';
import { addToHistory, loadHistory } from './history';
import { runQuery, type QueryOutcome } from './run-query';
import { ResultTable } from './table';
import { exploreParams, readExploreState, type ExploreState } from './url-state';

const RANGES = ['5m', '15m', '30m', '1h', '3h', '6h', '12h', '1d', '2d', '1w'];

function toLocalInput(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 19);
}

/** Explore is the query page: PromQL editor, graph or table, stats, warnings, history; its state is the URL, so a link shares it. */
export function Explore({ route, ws }: { route: Route; ws: string }) {
  const { creds } = useSession();
  const state = readExploreState(route.params);
  const [draft, setDraft] = useState(state.query);
  const [outcome, setOutcome] = useState<QueryOutcome | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  const [history, setHistory] = useState(loadHistory);
  const [nonce, setNonce] = useState(0);
  const abort = useRef<AbortController | null>(null);
  const update = (patch: Partial<ExploreState>): void => navigate(routeHref(['explore'], exploreParams(ws, { ...state, ...patch })), { replace: true });
  const key = JSON.stringify([ws, state]);
  const editor = useRef<EditorApi | null>(null);
  useEffect(() => {
    setDraft(state.query);
    editor.current?.setText(state.query);
  }, [state.query]);
  useEffect(() => {
    if (!state.query.trim()) {
      setOutcome(null);
      setError(null);
      return;
    }
    abort.current?.abort();
    const ctl = new AbortController();
    abort.current = ctl;
    setRunning(true);
    runQuery(creds, ws, state, ctl.signal)
      .then((o) => {
        setOutcome(o);
        setError(null);
      })
      .catch((e: unknown) => {
        if (ctl.signal.aborted) return;
        setOutcome(null);
        setError(e instanceof ApiError ? `${e.type}: ${e.message}` : errorMessage(e));
      })
      .finally(() => {
        if (!ctl.signal.aborted) setRunning(false);
      });
    return () => ctl.abort();
  }, [key, creds, nonce]);
  const run = (q: string, syntaxErrors: string[] = []): void => {
    if (syntaxErrors.length > 0) {
      // The linter's parse errors are shown without sending the query (the server would answer 400 with the same).
      setOutcome(null);
      setError(`bad_data: ${syntaxErrors.join('; ')}`);
      return;
    }
    setHistory(addToHistory(q));
    if (q === state.query) setNonce((n) => n + 1);
    else update({ query: q });
  };
  const rangeMs = parseDuration(state.range) ?? 3_600_000;
  const shift = (dir: -1 | 1): void => update({ end: Math.min(Date.now(), (state.end ?? Date.now()) + dir * rangeMs / 2) });
  const copyLink = (): void => void navigator.clipboard?.writeText(window.location.href).catch(() => {});
  return (
    <section class="explore">
      <h1>Explore</h1>
      <div class="query-row">
        <PromqlEditor creds={creds} workspaceId={ws} initial={state.query} onChange={setDraft} onRun={run} api={editor} />
        <button type="button" class="btn-primary" onClick={() => (editor.current ? editor.current.run() : run(draft))} disabled={running && !draft}>
          {running ? 'Running…' : 'Execute'}
        </button>
      </div>
      <div class="row controls">
        <div role="tablist" aria-label="Result view" class="tabs">
          {(['graph', 'table'] as const).map((t) => (
            <button type="button" role="tab" aria-selected={state.tab === t} onClick={() => update({ tab: t })}>
              {t === 'graph' ? 'Graph' : 'Table'}
            </button>
          ))}
        </div>
        {state.tab === 'graph' && (
          <>
            <label>
              Range
              <select value={state.range} onChange={(e) => update({ range: (e.target as HTMLSelectElement).value })}>
                {[...new Set([...RANGES, state.range])].map((r) => <option value={r}>{r}</option>)}
              </select>
            </label>
            <button type="button" class="btn-small" onClick={() => shift(-1)} aria-label="Earlier">◀</button>
            <button type="button" class="btn-small" onClick={() => shift(1)} aria-label="Later">▶</button>
          </>
        )}
        <label>
          {state.tab === 'graph' ? 'End' : 'Evaluation time'}
          <input type="datetime-local" step={1} value={state.end ? toLocalInput(state.end) : ''} onChange={(e) => { const v = (e.target as HTMLInputElement).value; update({ end: v ? new Date(v).getTime() : null }); }} />
        </label>
        <button type="button" class="btn-small" onClick={() => update({ end: null })} disabled={state.end === null}>Now</button>
        {state.tab === 'graph' && (
          <>
            <label>
              Step
              <input size={6} placeholder={outcome ? formatDuration(outcome.stepMs) : 'auto'} value={state.step} onChange={(e) => update({ step: (e.target as HTMLInputElement).value.trim() })} />
            </label>
            <label class="check">
              <input type="checkbox" checked={state.stacked} onChange={(e) => update({ stacked: (e.target as HTMLInputElement).checked })} /> Stacked
            </label>
          </>
        )}
        <span class="spacer" />
        <button type="button" class="btn-small" onClick={copyLink}>Copy link</button>
      </div>
      {error && <Notice kind="error">{error}</Notice>}
      {outcome?.warnings.map((w) => <Notice kind="warning">{w}</Notice>)}
      {outcome?.infos.map((w) => <Notice kind="info">{w}</Notice>)}
      {outcome && (
        <p class="stats muted" data-testid="query-stats">
          Load time: {Math.round(outcome.elapsedMs)} ms · Result series: {outcome.resultSeries}
          {outcome.stats?.samples?.totalQueryableSamples !== undefined && <> · Samples processed: {outcome.stats.samples.totalQueryableSamples}</>}
          {outcome.stats?.samples?.peakSamples !== undefined && <> · Peak samples: {outcome.stats.samples.peakSamples}</>}
          {outcome.graph && <> · Resolution: {formatDuration(outcome.stepMs)}</>}
        </p>
      )}
      <div role="tabpanel" aria-label={state.tab === 'graph' ? 'Graph' : 'Table'}>
        {outcome?.graph && (outcome.graph.series.length ? <Graph data={outcome.graph} stacked={state.stacked} exemplars={outcome.exemplars ?? []} onZoom={(a, b) => update({ range: formatDuration(Math.max(1000, b - a)), end: b })} /> : <p class="muted">Empty query result</p>)}
        {outcome?.table && <ResultTable result={outcome.table} />}
        {!state.query && <p class="muted">Type a PromQL expression: metric names, labels, values and functions complete as you type (Ctrl+Space to ask).</p>}
      </div>
      <details class="history">
        <summary>Query history ({history.length})</summary>
        <ul>
          {history.map((q) => (
            <li><button type="button" class="link" onClick={() => { editor.current?.setText(q); run(q); }}><code>{q}</code></button></li>
          ))}
        </ul>
      </details>
    </section>
  );
}
