import { parseArgs } from 'node:util';
import { destination, pino } from 'pino';
import { credentialChain } from '../sigv4proxy/credentials.js';
import { startSigV4Proxy } from '../sigv4proxy/proxy.js';

/** SIGV4_PROXY_USAGE is the sigv4-proxy command's usage line. */
export const SIGV4_PROXY_USAGE =
  'amphora sigv4-proxy [--listen 127.0.0.1:8005] --upstream URL [--region us-east-1] [--service aps] [--profile NAME] [--sts-endpoint URL] [--unsigned-payload] [--log-level info]';

/**
 * runSigV4ProxyCommand runs `amphora sigv4-proxy`: resolves credentials once (so a missing source
 * fails at start, not on the first request), listens, and prints the address; returns -1 while
 * serving (SIGINT/SIGTERM stop it) or an exit code.
 */
export async function runSigV4ProxyCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      listen: { type: 'string', default: '127.0.0.1:8005' },
      upstream: { type: 'string' },
      region: { type: 'string' },
      service: { type: 'string', default: 'aps' },
      profile: { type: 'string' },
      'sts-endpoint': { type: 'string' },
      'unsigned-payload': { type: 'boolean', default: false },
      'log-level': { type: 'string', default: 'info' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`usage: ${SIGV4_PROXY_USAGE}\n`);
    return 0;
  }
  if (!values.upstream) {
    process.stderr.write(`amphora sigv4-proxy: --upstream is required\nusage: ${SIGV4_PROXY_USAGE}\n`);
    return 2;
  }
  const region = values.region ?? (process.env['AWS_REGION'] || process.env['AWS_DEFAULT_REGION'] || 'us-east-1');
  const logger = pino({ level: values['log-level'] }, destination(2));
  const credentials = credentialChain({
    env: process.env,
    region,
    ...(values.profile !== undefined ? { profile: values.profile } : {}),
    ...(values['sts-endpoint'] !== undefined ? { stsEndpoint: values['sts-endpoint'] } : {}),
  });
  const first = await credentials.get();
  const proxy = await startSigV4Proxy({ listen: values.listen, upstream: values.upstream, region, service: values.service, credentials, logger, unsignedPayload: values['unsigned-payload'] });
  logger.info({ listen: proxy.url, upstream: values.upstream, region, service: values.service, credentials: first.source, accessKeyId: first.accessKeyId }, 'sigv4-proxy listening');
  process.stdout.write(`amphora sigv4-proxy listening on ${proxy.url}, signing for ${values.service} in ${region} with ${first.source}, forwarding to ${values.upstream}\n`);
  const stop = () => {
    proxy.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return -1;
}
