#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { loadConfig, ConfigError, type Config } from '../app/config.js';
import { startAmphora } from '../app/amphora.js';
import { importPath } from './tsdb-import.js';
import { rotateKekCommand } from './admin.js';
import type { TlsSettings } from '../http/tls/settings.js';
import { runSigV4ProxyCommand, SIGV4_PROXY_USAGE } from './sigv4-proxy.js';
import { checkListenAvailable } from './port-check.js';
import { runTsdbUploadCommand, TSDB_UPLOAD_USAGE } from './tsdb-upload.js';

const USAGE = `usage:
  amphora serve [--config FILE] [--data-dir DIR] [--listen HOST:PORT] [--target all|write|read|backend]
                [--tls-cert-file FILE --tls-key-file FILE [--tls-client-ca-file FILE --tls-client-auth optional|require]]
  amphora admin rotate-kek [--config FILE] [--data-dir DIR]
  amphora tsdb import <prometheus-block-dir|prometheus-data-dir> --workspace <id> [--config FILE] [--data-dir DIR]
  ${TSDB_UPLOAD_USAGE}
  ${SIGV4_PROXY_USAGE}`;

async function main(argv: string[]): Promise<number> {
  // Every file Amphora creates (meta.db and its WAL, credentials, the KEK, WAL segments, blocks) is 0600.
  process.umask(0o077);
  if (argv[0] === 'sigv4-proxy') return runSigV4ProxyCommand(argv.slice(1));
  if (argv[0] === 'tsdb' && argv[1] === 'upload') return runTsdbUploadCommand(argv.slice(2));
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      config: { type: 'string' },
      'data-dir': { type: 'string' },
      listen: { type: 'string' },
      target: { type: 'string' },
      workspace: { type: 'string' },
      'tls-cert-file': { type: 'string' },
      'tls-key-file': { type: 'string' },
      'tls-client-ca-file': { type: 'string' },
      'tls-client-auth': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || positionals.length === 0) {
    process.stdout.write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  const tls = { certFile: values['tls-cert-file'], keyFile: values['tls-key-file'], clientCAFile: values['tls-client-ca-file'], clientAuth: values['tls-client-auth'] as TlsSettings['clientAuth'] | undefined };
  const config = loadConfig({
    file: values.config,
    env: process.env,
    flags: { dataDir: values['data-dir'], listen: values.listen, target: values.target as Config['target'] | undefined, ...(Object.values(tls).some((v) => v !== undefined) ? { tls } : {}) },
  });
  const [command, sub, arg] = positionals;
  if (command === 'serve') {
    await checkListenAvailable(config.listen);
    const running = await startAmphora(config);
    const stop = async () => {
      await running.close();
      process.exit(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    return -1;
  }
  if (command === 'admin' && sub === 'rotate-kek') {
    process.stdout.write(rotateKekCommand(config));
    return 0;
  }
  if (command === 'tsdb' && sub === 'import') {
    if (!arg || !values.workspace) throw new ConfigError(`tsdb import needs a block or data directory and --workspace\n${USAGE}`);
    process.stdout.write(`${await importPath({ dataDir: config.dataDir, path: arg, workspace: values.workspace })}\n`);
    return 0;
  }
  process.stderr.write(`unknown command: ${positionals.join(' ')}\n${USAGE}\n`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`amphora: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
