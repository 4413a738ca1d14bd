import type { IncomingMessage } from 'node:http';
import { kubeGet, readBody } from '../../../clusters/kube-client.js';
import type { ResolvedConnection } from '../../../clusters/connection.js';
import { emptyGroup, type TargetGroup } from '../target-group.js';
import { KubeDiscoverer, type DiscovererConfig, type WatchSpec } from './discoverer.js';
import { KIND_RESOURCES, type KubeObject } from './objects.js';

/** KubeDiscoveryOptions configure list+watch: where, what to tell, and the retry backoff. */
export interface KubeDiscoveryOptions {
  readonly connection: ResolvedConnection;
  readonly config: DiscovererConfig;
  /** onGroups receives every changed target group (the initial ones after the first lists, then per event). */
  readonly onGroups: (groups: TargetGroup[]) => void;
  /** onError is told each failed list or broken watch (the scraper's SERVICE_DISCOVERY log). */
  readonly onError?: (message: string) => void;
  /** backoffMs is the first retry delay after an error, doubled up to maxBackoffMs (defaults 500 ms and 30 s). */
  readonly backoffMs?: number;
  readonly maxBackoffMs?: number;
}

function listPath(w: WatchSpec, ns: string): string {
  const r = KIND_RESOURCES[w.kind];
  const base = r.namespaced && ns !== '' ? `${r.group}/namespaces/${encodeURIComponent(ns)}/${r.plural}` : `${r.group}/${r.plural}`;
  const q = new URLSearchParams();
  if (w.labelSelector !== '') q.set('labelSelector', w.labelSelector);
  if (w.fieldSelector !== '') q.set('fieldSelector', w.fieldSelector);
  const qs = q.toString();
  return qs === '' ? base : `${base}?${qs}`;
}

/**
 * KubeDiscovery runs Kubernetes discovery against an API server: a LIST per watched kind and namespace, then a
 * WATCH from the list's resourceVersion; a failed list or a broken or expired watch re-lists after a backoff
 * (doubling, capped), and the re-list retracts sources that disappeared meanwhile.
 */
export class KubeDiscovery {
  private readonly discoverer: KubeDiscoverer;
  private readonly known = new Set<string>();
  private readonly abort = new AbortController();
  private readonly items = new Map<string, KubeObject[]>();
  private stopped = false;

  constructor(private readonly opts: KubeDiscoveryOptions) {
    this.discoverer = new KubeDiscoverer(opts.config);
  }

  /** start lists every watched kind, emits the initial groups, then keeps watching until stop. */
  start(): void {
    for (const w of this.discoverer.watches()) for (const ns of w.namespaces) void this.run(w, ns);
  }

  /** stop ends every watch. */
  stop(): void {
    this.stopped = true;
    this.abort.abort();
  }

  private emit(groups: TargetGroup[]): void {
    if (groups.length === 0) return;
    for (const g of groups) {
      if (g.targets.length === 0 && Object.keys(g.labels).length === 0) this.known.delete(g.source);
      else this.known.add(g.source);
    }
    this.opts.onGroups(groups);
  }

  private async run(w: WatchSpec, ns: string): Promise<void> {
    let backoff = this.opts.backoffMs ?? 500;
    while (!this.stopped) {
      try {
        const rv = await this.list(w, ns);
        backoff = this.opts.backoffMs ?? 500;
        await this.watch(w, ns, rv);
      } catch (err) {
        if (this.stopped) return;
        this.opts.onError?.(`${w.kind} ${ns === '' ? '' : `in ${ns} `}discovery failed: ${(err as Error).message}`);
      }
      if (this.stopped) return;
      await new Promise((r) => setTimeout(r, backoff).unref());
      backoff = Math.min(backoff * 2, this.opts.maxBackoffMs ?? 30_000);
    }
  }

  private async list(w: WatchSpec, ns: string): Promise<string> {
    const res = await kubeGet(this.opts.connection, listPath(w, ns), { timeoutMs: 30_000, signal: this.abort.signal });
    const text = await readBody(res);
    if (res.statusCode !== 200) throw new Error(`LIST ${listPath(w, ns)} answered HTTP ${res.statusCode}: ${text.slice(0, 200)}`);
    const list = JSON.parse(text) as { metadata?: { resourceVersion?: string }; items?: KubeObject[] };
    this.items.set(`${w.kind}/${ns}`, (list.items ?? []).map((o) => ({ ...o, kind: w.kind })));
    const all = [...this.items].filter(([k]) => k.startsWith(`${w.kind}/`)).flatMap(([, v]) => v);
    this.discoverer.replace(w.kind, all);
    const groups = this.discoverer.sync();
    const present = new Set(groups.map((g) => g.source));
    const gone = [...this.known].filter((s) => !present.has(s) && this.ownsSource(s, ns)).map(emptyGroup);
    this.emit([...groups, ...gone]);
    return list.metadata?.resourceVersion ?? '';
  }

  private ownsSource(source: string, ns: string): boolean {
    return ns === '' || source.split('/')[1] === ns || source.startsWith('node/');
  }

  private async watch(w: WatchSpec, ns: string, rv: string): Promise<void> {
    const base = listPath(w, ns);
    const path = `${base}${base.includes('?') ? '&' : '?'}watch=1&allowWatchBookmarks=true${rv !== '' ? `&resourceVersion=${encodeURIComponent(rv)}` : ''}`;
    const res: IncomingMessage = await kubeGet(this.opts.connection, path, { timeoutMs: 30_000, signal: this.abort.signal });
    if (res.statusCode !== 200) throw new Error(`WATCH ${base} answered HTTP ${res.statusCode}: ${(await readBody(res, 1 << 16)).slice(0, 200)}`);
    let buf = '';
    for await (const chunk of res) {
      buf += (chunk as Buffer).toString('utf8');
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl).trim();
        buf = buf.slice(nl + 1);
        if (line === '') continue;
        const ev = JSON.parse(line) as { type: string; object: KubeObject & { code?: number; message?: string } };
        if (ev.type === 'ERROR') throw new Error(`watch error ${ev.object.code ?? ''}: ${ev.object.message ?? ''}`);
        if (ev.type === 'BOOKMARK') continue;
        const op = ev.type === 'ADDED' ? 'add' : ev.type === 'MODIFIED' ? 'update' : ev.type === 'DELETED' ? 'delete' : null;
        if (op === null) continue;
        const obj = { ...ev.object, kind: w.kind };
        const key = `${w.kind}/${ns}`;
        const list = (this.items.get(key) ?? []).filter((o) => !(o.metadata?.name === obj.metadata?.name && o.metadata?.namespace === obj.metadata?.namespace));
        this.items.set(key, op === 'delete' ? list : [...list, obj]);
        this.emit(this.discoverer.apply(op, obj));
      }
    }
    // the API server ended the watch (its timeout): re-list and watch again
  }
}
