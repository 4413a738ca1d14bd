import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { credentialChain } from '../sigv4proxy/credentials.js';
import { isULID } from '../tsdb/block-dirs.js';
import { blockDirMembers, writeTar } from '../tsdb/backfill/tar-writer.js';

/** UploadBlockOptions say which block goes to which workspace of which server. */
export interface UploadBlockOptions {
  /** url is the server's base URL (http://127.0.0.1:8080). */
  url: string;
  workspace: string;
  blockDir: string;
  region: string;
  profile?: string;
  env: NodeJS.ProcessEnv;
}

/**
 * uploadBlockDir sends a block directory as a tar stream to `POST /workspaces/{id}/api/v1/admin/tsdb/blocks`,
 * signed with SigV4 (service aps) with credentials from the usual AWS chain; returns the server's answer
 * (the block's ULID and range) or throws with the server's error message.
 */
export async function uploadBlockDir(o: UploadBlockOptions): Promise<string> {
  const dir = resolve(o.blockDir);
  const ulid = basename(dir);
  if (!isULID(ulid)) throw new Error(`${dir} is not a block directory (its name must be the block's ULID)`);
  const body = Buffer.concat([...writeTar(blockDirMembers(dir, ulid))]);
  const creds = await credentialChain({ env: o.env, region: o.region, ...(o.profile !== undefined ? { profile: o.profile } : {}) }).get();
  const url = new URL(`/workspaces/${encodeURIComponent(o.workspace)}/api/v1/admin/tsdb/blocks`, o.url);
  const signer = new SignatureV4({ service: 'aps', region: o.region, sha256: Sha256, credentials: { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey, ...(creds.sessionToken ? { sessionToken: creds.sessionToken } : {}) } });
  const signed = await signer.sign({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port ? { port: Number(url.port) } : {}),
    path: url.pathname,
    headers: { host: url.host, 'content-type': 'application/x-tar' },
    body,
  });
  const { host: _host, ...headers } = signed.headers as Record<string, string>;
  const res = await fetch(url, { method: 'POST', headers, body });
  const text = await res.text();
  if (!res.ok) {
    let message = text;
    try {
      message = (JSON.parse(text) as { error?: string; message?: string }).error ?? message;
    } catch {
      // not JSON: show the body as it is
    }
    throw new Error(`upload of block ${ulid} failed: HTTP ${res.status}: ${message}`);
  }
  return text;
}

/** TSDB_UPLOAD_USAGE is the usage line of `amphora tsdb upload`. */
export const TSDB_UPLOAD_USAGE = 'amphora tsdb upload <block-dir> --workspace <id> --url http://HOST:PORT [--region us-east-1] [--profile NAME]';

/** runTsdbUploadCommand runs `amphora tsdb upload` (arguments after `tsdb upload`); returns the exit code. */
export async function runTsdbUploadCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { workspace: { type: 'string' }, url: { type: 'string' }, region: { type: 'string' }, profile: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help || positionals.length !== 1 || !values.workspace || !values.url) {
    (values.help ? process.stdout : process.stderr).write(`usage: ${TSDB_UPLOAD_USAGE}\n`);
    return values.help ? 0 : 2;
  }
  const answer = await uploadBlockDir({
    url: values.url,
    workspace: values.workspace,
    blockDir: positionals[0]!,
    region: values.region ?? (process.env['AWS_REGION'] || process.env['AWS_DEFAULT_REGION'] || 'us-east-1'),
    ...(values.profile !== undefined ? { profile: values.profile } : {}),
    env: process.env,
  });
  process.stdout.write(`${answer}\n`);
  return 0;
}
