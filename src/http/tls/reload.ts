import type { Server as TlsServer } from 'node:tls';
import type { Logger } from '../../model/logger.js';
import { loadTls } from './options.js';
import type { TlsSettings } from './settings.js';

/**
 * reloadTls re-reads the certificate, key and client CA files and swaps them into the listening
 * server (server.setSecureContext): new handshakes get the new certificate, connections already open
 * keep theirs and keep working. A file that cannot be read or used leaves the old certificate in
 * place and is logged; returns whether the new one took effect.
 */
export function reloadTls(server: TlsServer, settings: TlsSettings, logger: Logger): boolean {
  try {
    const loaded = loadTls(settings);
    server.setSecureContext(loaded.options);
    logger.info({ certFile: settings.certFile, subject: loaded.subject, notAfter: loaded.notAfter }, 'TLS certificate reloaded');
    return true;
  } catch (err) {
    logger.error({ certFile: settings.certFile, err: (err as Error).message }, 'TLS reload failed; the previous certificate stays in use');
    return false;
  }
}

/** reloadTlsOnSighup reloads the certificate on every SIGHUP until the returned function is called. */
export function reloadTlsOnSighup(server: TlsServer, settings: TlsSettings, logger: Logger): () => void {
  const onHup = (): void => {
    reloadTls(server, settings, logger);
  };
  process.on('SIGHUP', onHup);
  return () => {
    process.off('SIGHUP', onHup);
  };
}
