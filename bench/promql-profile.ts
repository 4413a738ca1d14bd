// CPU profile of a synchronous workload with the inspector's sampling profiler, summarised
// as self time per function and per source file.

import { existsSync, readFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { SourceMap } from 'node:module';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** HotSpot is one function's share of the sampled CPU time. */
export interface HotSpot {
  /** fn is "name (file:line)", mapped to the TypeScript source through tsc's source maps when present; builtins name their caller. */
  fn: string;
  selfMs: number;
  selfPct: number;
}

/** ProfileSummary is the profile's top functions and files by self time. */
export interface ProfileSummary {
  totalMs: number;
  functions: HotSpot[];
  files: HotSpot[];
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const maps = new Map<string, SourceMap | null>();

function sourceMapFor(path: string): SourceMap | null {
  let m = maps.get(path);
  if (m === undefined) {
    m = null;
    try {
      if (existsSync(`${path}.map`)) m = new SourceMap(JSON.parse(readFileSync(`${path}.map`, 'utf8')) as ConstructorParameters<typeof SourceMap>[0]);
    } catch {
      m = null;
    }
    maps.set(path, m);
  }
  return m;
}

/** location renders a frame's position as a repository-relative TypeScript file and 1-based line when a source map allows. */
function location(frame: ProfileNode['callFrame'], root: string): { file: string; line: number } {
  const url = frame.url;
  if (url === '') return { file: '', line: 0 };
  let path = url;
  try {
    if (url.startsWith('file:')) path = fileURLToPath(url);
  } catch {
    return { file: url, line: frame.lineNumber + 1 };
  }
  if (!path.startsWith('/')) return { file: path, line: frame.lineNumber + 1 };
  const sm = sourceMapFor(path);
  const e = sm?.findEntry(frame.lineNumber, Math.max(0, frame.columnNumber)) as { originalSource?: string; originalLine?: number } | undefined;
  if (e?.originalSource) {
    const src = e.originalSource.startsWith('file:') ? fileURLToPath(e.originalSource) : resolve(dirname(path), e.originalSource);
    return { file: relative(root, src), line: (e.originalLine ?? 0) + 1 };
  }
  return { file: relative(root, path), line: frame.lineNumber + 1 };
}

function top(m: Map<string, number>, totalUs: number, n: number): HotSpot[] {
  return [...m.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([fn, us]) => ({ fn, selfMs: Math.round(us / 100) / 10, selfPct: Math.round((us / totalUs) * 1000) / 10 }));
}

/** profileCPU runs work under the sampling profiler (interval in µs) and summarises self time, top n entries. */
export async function profileCPU(work: () => void, opts: { root: string; intervalUs?: number; top?: number }): Promise<ProfileSummary> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: opts.intervalUs ?? 200 });
    await session.post('Profiler.start');
    work();
    const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: CpuProfile };
    await session.post('Profiler.disable');
    const byId = new Map(profile.nodes.map((nd) => [nd.id, nd]));
    const parent = new Map<number, ProfileNode>();
    for (const nd of profile.nodes) for (const c of nd.children ?? []) parent.set(c, nd);
    const fns = new Map<string, number>();
    const files = new Map<string, number>();
    let total = 0;
    for (let i = 0; i < profile.samples.length; i++) {
      const nd = byId.get(profile.samples[i]!);
      const dt = profile.timeDeltas[i] ?? 0;
      if (!nd || nd.callFrame.functionName === '(idle)') continue;
      const { file, line } = location(nd.callFrame, opts.root);
      let fn = `${nd.callFrame.functionName || '(anonymous)'}${file ? ` (${file}:${line})` : ''}`;
      let owner = file;
      if (!file && !nd.callFrame.functionName.startsWith('(')) {
        // A builtin: name the JS function that called it, and charge its file.
        let up = parent.get(nd.id);
        while (up && up.callFrame.url === '' && up.callFrame.functionName !== '(root)') up = parent.get(up.id);
        if (up && up.callFrame.url !== '') {
          const at = location(up.callFrame, opts.root);
          fn += ` <- ${up.callFrame.functionName || '(anonymous)'} (${at.file}:${at.line})`;
          owner = at.file;
        }
      }
      if (owner.startsWith('node:inspector')) continue; // the profiler's own work (serialising the profile)
      total += dt;
      fns.set(fn, (fns.get(fn) ?? 0) + dt);
      const f = owner || nd.callFrame.functionName;
      files.set(f, (files.get(f) ?? 0) + dt);
    }
    const n = opts.top ?? 15;
    return { totalMs: Math.round(total / 1000), functions: top(fns, total, n), files: top(files, total, n) };
  } finally {
    session.disconnect();
  }
}
