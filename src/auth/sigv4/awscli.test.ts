import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { commandWorks } from '../peer-command.test-util.js';
import { parseAuthorization, verifySignature, type SigV4Request } from './verify.js';

const HAVE_AWS = commandWorks('aws');
if (!HAVE_AWS) console.warn('SKIP auth/sigv4 AWS CLI interop: the `aws` command is not installed');

const KEY = { id: 'AKIAAMPHORATEST00001', secret: 'amphora/Secret+Key/ForTheCliTest0123456789' };

const RESPONSES: Record<string, { type: string; body: string }> = {
  sts: {
    type: 'text/xml',
    body:
      '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>' +
      '<Arn>arn:aws:iam::000000000000:user/test</Arn><UserId>AIDATEST</UserId><Account>000000000000</Account>' +
      '</GetCallerIdentityResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></GetCallerIdentityResponse>',
  },
  aps: { type: 'application/json', body: '{"workspaces":[]}' },
};

/** captureCli runs one AWS CLI command against a local server and returns the request it received. */
async function captureCli(service: 'sts' | 'aps', args: string[]): Promise<SigV4Request> {
  let captured: SigV4Request | undefined;
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      captured = {
        method: req.method ?? 'GET',
        path: q < 0 ? url : url.slice(0, q),
        query: q < 0 ? '' : url.slice(q + 1),
        headers: req.headersDistinct,
        body: new Uint8Array(Buffer.concat(chunks)),
      };
      const r = url.startsWith('/workspaces/') ? { type: 'application/json', body: '{"workspace":{"workspaceId":"x","arn":"arn:aws:aps:us-east-1:000000000000:workspace/x","status":{"statusCode":"ACTIVE"},"createdAt":1}}' } : RESPONSES[service]!;
      res.writeHead(200, { 'content-type': r.type });
      res.end(r.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  try {
    await new Promise<void>((resolve, reject) => {
      execFile(
        'aws',
        [...args, '--endpoint-url', `http://127.0.0.1:${port}`, '--region', 'us-east-1', '--output', 'json'],
        {
          timeout: 60_000,
          env: {
            PATH: process.env['PATH'] ?? '',
            HOME: process.env['HOME'] ?? '/tmp',
            AWS_ACCESS_KEY_ID: KEY.id,
            AWS_SECRET_ACCESS_KEY: KEY.secret,
            AWS_CONFIG_FILE: '/dev/null',
            AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
            AWS_EC2_METADATA_DISABLED: 'true',
            AWS_MAX_ATTEMPTS: '1',
          },
        },
        (err, _stdout, stderr) => (err ? reject(new Error(`aws ${args.join(' ')} failed: ${stderr}`)) : resolve()),
      );
    });
  } finally {
    server.close();
  }
  if (!captured) throw new Error('the AWS CLI sent no request');
  return captured;
}

describe.skipIf(!HAVE_AWS)('AWS CLI signatures verify', () => {
  const table: [string, 'sts' | 'aps', string[], (r: SigV4Request) => void][] = [
    ['sts get-caller-identity (query protocol, POST form body)', 'sts', ['sts', 'get-caller-identity'], (r) => expect(r.method).toBe('POST')],
    ['amp list-workspaces (restJson1, GET with query)', 'aps', ['amp', 'list-workspaces', '--alias', 'my alias/ü+1', '--max-results', '5'], (r) => expect(r.query).toContain('alias=')],
    ['amp describe-workspace with an id needing double encoding', 'aps', ['amp', 'describe-workspace', '--workspace-id', 'ws a/b:c'], (r) => expect(r.path).toBe('/workspaces/ws%20a%2Fb%3Ac')],
  ];
  for (const [name, service, args, extra] of table) {
    it(name, async () => {
      const req = await captureCli(service, args);
      extra(req);
      const auth = parseAuthorization(req);
      expect(auth.accessKeyId).toBe(KEY.id);
      expect(auth.service).toBe(service);
      const opts = { now: () => Date.now(), expectedRegion: 'us-east-1', allowedServices: [service] };
      verifySignature(req, auth, KEY.secret, opts);
      expect(() => verifySignature(req, auth, KEY.secret + 'x', opts)).toThrow(/signature we calculated does not match/);
    }, 90_000);
  }
});
