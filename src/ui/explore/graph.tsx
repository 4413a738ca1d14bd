import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import type { Exemplar } from './exemplars';
import type { GraphData } from './graph-data';
import { stackValues } from './graph-data';
import { seriesName } from './series-name';

const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

/** colorOf is a series' colour, stable by its index. */
function colorOf(i: number): string {
  return PALETTE[i % PALETTE.length]!;
}

function formatValue(v: number | null | undefined): string {
  if (v === null || v === undefined) return '—';
  return Math.abs(v) >= 1e6 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(3) : String(Math.round(v * 1e4) / 1e4);
}

/**
 * Graph draws a range result with uPlot: drag to zoom (the range is re-queried), hover for values, a legend
 * of buttons (click toggles a series, Ctrl/⌘-click shows only it), stacked or not.
 */
export function Graph({ data, stacked, exemplars = [], onZoom }: { data: GraphData; stacked: boolean; exemplars?: readonly Exemplar[]; onZoom: (startMs: number, endMs: number) => void }) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const [visible, setVisible] = useState<boolean[]>(() => data.series.map(() => true));
  const [hover, setHover] = useState<number | null>(null);
  const zoom = useRef(onZoom);
  zoom.current = onZoom;
  useEffect(() => setVisible(data.series.map(() => true)), [data]);
  useEffect(() => {
    const el = host.current!;
    const css = getComputedStyle(document.documentElement);
    const fg = css.getPropertyValue('--fg-muted').trim() || '#666';
    const grid = css.getPropertyValue('--border').trim() || '#ddd';
    const raw = data.series.map((s) => s.values);
    const shown = visible.length === data.series.length ? visible : data.series.map(() => true);
    const rows = stacked ? stackValues(raw, shown) : raw;
    const opts: uPlot.Options = {
      width: Math.max(300, el.clientWidth),
      height: 320,
      legend: { show: false },
      cursor: { drag: { x: true, y: false, setScale: false } },
      scales: { x: { time: true } },
      axes: [
        { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } },
        { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid }, size: 70, values: (_u, vals) => vals.map((v) => formatValue(v)) },
      ],
      series: [
        {},
        ...data.series.map((s, i) => ({
          label: seriesName(s.metric),
          stroke: colorOf(i),
          width: 1.5,
          show: shown[i] !== false,
          spanGaps: false,
          points: { show: data.x.length < 60 },
          ...(stacked ? { fill: `${colorOf(i)}40` } : {}),
        })),
      ],
      hooks: {
        draw: [(u) => drawExemplars(u, exemplars, fg)],
        setCursor: [(u) => setHover(u.cursor.idx ?? null)],
        setSelect: [
          (u) => {
            if (u.select.width < 5) return;
            const a = u.posToVal(u.select.left, 'x');
            const b = u.posToVal(u.select.left + u.select.width, 'x');
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
            zoom.current(Math.round(a * 1000), Math.round(b * 1000));
          },
        ],
      },
    };
    const u = new uPlot(opts, [data.x, ...rows] as uPlot.AlignedData, el);
    plot.current = u;
    const ro = new ResizeObserver(() => u.setSize({ width: Math.max(300, el.clientWidth), height: 320 }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      u.destroy();
      plot.current = null;
    };
  }, [data, exemplars, stacked, stacked ? visible : null]);
  const toggle = (i: number, only: boolean): void => {
    const isOnly = visible.every((v, k) => v === (k === i));
    const next = only ? data.series.map((_, j) => isOnly || j === i) : visible.map((v, j) => (j === i ? !v : v));
    setVisible(next);
    if (!stacked) next.forEach((show, j) => plot.current?.setSeries(j + 1, { show }));
  };
  const at = hover !== null ? data.x[hover] : undefined;
  return (
    <div class="graph">
      <div ref={host} class="graph-canvas" role="img" aria-label={`Graph of ${data.series.length} series`} data-series-count={data.series.length} />
      <p class="muted hover-time" aria-live="off">{at !== undefined ? new Date(at * 1000).toISOString() : 'Hover over the graph for values; drag to zoom.'}</p>
      <ul class="legend" aria-label="Legend">
        {data.series.map((s, i) => (
          <li>
            <button type="button" class="legend-item" aria-pressed={visible[i] !== false} onClick={(e) => toggle(i, e.ctrlKey || e.metaKey)} title="Click to show or hide; Ctrl/⌘-click to show only this series">
              <span class="swatch" style={{ background: colorOf(i) }} aria-hidden="true" />
              <span class="legend-name">{seriesName(s.metric)}</span>
              {hover !== null && <span class="legend-value">{formatValue(s.values[hover])}</span>}
            </button>
          </li>
        ))}
      </ul>
      {exemplars.length > 0 && (
        <details class="exemplars">
          <summary>Exemplars ({exemplars.length}, drawn as diamonds)</summary>
          <table class="data-table">
            <thead><tr><th scope="col">Time</th><th scope="col">Series</th><th scope="col">Exemplar labels</th><th scope="col" class="num">Value</th></tr></thead>
            <tbody>
              {exemplars.map((e) => (
                <tr>
                  <td>{new Date(e.timestamp * 1000).toISOString()}</td>
                  <td><code>{seriesName(e.series)}</code></td>
                  <td><code>{seriesName(e.labels)}</code></td>
                  <td class="num">{formatValue(e.value)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
    </div>
  );
}

/** drawExemplars marks each exemplar in the plot area with a small diamond. */
function drawExemplars(u: uPlot, exemplars: readonly Exemplar[], color: string): void {
  const ctx = u.ctx;
  const r = 4 * devicePixelRatio;
  ctx.save();
  ctx.fillStyle = color;
  for (const e of exemplars) {
    const x = u.valToPos(e.timestamp, 'x', true);
    const y = u.valToPos(e.value, 'y', true);
    if (x < u.bbox.left || x > u.bbox.left + u.bbox.width || y < u.bbox.top || y > u.bbox.top + u.bbox.height) continue;
    ctx.beginPath();
    ctx.moveTo(x, y - r);
    ctx.lineTo(x + r, y);
    ctx.lineTo(x, y + r);
    ctx.lineTo(x - r, y);
    ctx.closePath();
    ctx.fill();
  }
  ctx.restore();
}
