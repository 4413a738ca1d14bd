import { createServer } from 'node:net';

/** ListenUnavailableError says the address `amphora serve` should listen on is taken or not bindable. */
export class ListenUnavailableError extends Error {
  override name = 'ListenUnavailableError';
}

/**
 * checkListenAvailable binds host:port once and releases it, so a port already in use is reported
 * before anything is created (data dir, root credentials); port 0 always passes.
 */
export async function checkListenAvailable(listen: string): Promise<void> {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(listen);
  if (!m || m[3] === '0') return; // malformed values are the config's to report
  const host = m[1] ?? (m[2] || '127.0.0.1');
  const port = Number(m[3]);
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (e: NodeJS.ErrnoException) => {
      const why = e.code === 'EADDRINUSE' ? 'is already in use (another amphora or program listens there)' : e.code === 'EACCES' ? 'needs privileges to bind' : `cannot be bound (${e.code ?? e.message})`;
      reject(new ListenUnavailableError(`listen address ${host}:${port} ${why}; choose another with --listen HOST:PORT or AMPHORA_LISTEN`));
    });
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve()));
  });
}
