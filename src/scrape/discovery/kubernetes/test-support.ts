import { createServer, type Server, type ServerResponse } from 'node:http';
import { KIND_RESOURCES, type KubeKind, type KubeObject } from './objects.js';

/** FakeApiServer is a Kubernetes API stand-in on loopback: LIST and WATCH of in-memory objects, with a bearer token check. */
export interface FakeApiServer {
  readonly url: string;
  /** put adds or replaces an object and tells open watches (ADDED or MODIFIED). */
  put(o: KubeObject): void;
  /** remove deletes an object and tells open watches (DELETED). */
  remove(o: KubeObject): void;
  /** breakWatches ends every open watch (the client must re-list). */
  breakWatches(): void;
  /** requests counts LIST requests per path. */
  readonly lists: string[];
  close(): Promise<void>;
}

/** startFakeApiServer serves objects of the given kinds; requests without `Bearer <token>` get 401. */
export async function startFakeApiServer(token: string, initial: readonly KubeObject[] = []): Promise<FakeApiServer> {
  const objects = new Map<string, KubeObject>();
  const key = (o: KubeObject): string => `${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
  for (const o of initial) objects.set(key(o), o);
  let rv = 1;
  const watches = new Set<{ kind: KubeKind; ns: string; res: ServerResponse }>();
  const lists: string[] = [];
  const resolve = (path: string): { kind: KubeKind; ns: string } | null => {
    for (const [kind, r] of Object.entries(KIND_RESOURCES) as [KubeKind, (typeof KIND_RESOURCES)[KubeKind]][]) {
      if (path === `${r.group}/${r.plural}`) return { kind, ns: '' };
      const m = new RegExp(`^${r.group.replace(/\./g, '\\.')}/namespaces/([^/]+)/${r.plural}$`).exec(path);
      if (m) return { kind, ns: decodeURIComponent(m[1]!) };
    }
    return null;
  };
  const server: Server = createServer((req, res) => {
    if (req.headers.authorization !== `Bearer ${token}`) return void res.writeHead(401).end('{"kind":"Status","code":401,"message":"Unauthorized"}');
    const u = new URL(req.url ?? '/', 'http://x');
    if (u.pathname === '/version') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"gitVersion":"v1.29.0"}');
    const r = resolve(u.pathname);
    if (!r) return void res.writeHead(404).end('{"kind":"Status","code":404}');
    const match = (o: KubeObject): boolean => o.kind === r.kind && (r.ns === '' || o.metadata?.namespace === r.ns);
    if (u.searchParams.get('watch') === '1') {
      res.writeHead(200, { 'content-type': 'application/json' });
      const w = { ...r, res };
      watches.add(w);
      res.on('close', () => watches.delete(w));
      return;
    }
    lists.push(u.pathname);
    const items = [...objects.values()].filter(match).map(({ kind: _k, apiVersion: _a, ...rest }) => rest);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ kind: `${r.kind}List`, metadata: { resourceVersion: String(rv) }, items }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const tell = (type: string, o: KubeObject): void => {
    rv++;
    for (const w of watches) if (o.kind === w.kind && (w.ns === '' || o.metadata?.namespace === w.ns)) w.res.write(JSON.stringify({ type, object: o }) + '\n');
  };
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    lists,
    put(o) {
      const existed = objects.has(key(o));
      objects.set(key(o), o);
      tell(existed ? 'MODIFIED' : 'ADDED', o);
    },
    remove(o) {
      objects.delete(key(o));
      tell('DELETED', o);
    },
    breakWatches() {
      for (const w of watches) w.res.destroy();
    },
    close: async () => {
      for (const w of watches) w.res.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
