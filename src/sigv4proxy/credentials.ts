import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseIni } from './shared-ini.js';
import { assumeRoleWithWebIdentity } from './web-identity.js';

/** ProxyCredentials are the AWS credentials the proxy signs with; expiresAt is set for temporary ones. */
export interface ProxyCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiresAt?: number;
  /** source names where they came from (for the start-up log line; never the secret). */
  source: string;
}

/** CredentialChainOptions configure the AWS credential chain. */
export interface CredentialChainOptions {
  env: NodeJS.ProcessEnv;
  /** profile is --profile; when given, only the shared credentials file is consulted. */
  profile?: string;
  region: string;
  /** stsEndpoint overrides AWS_ENDPOINT_URL_STS and the regional STS endpoint for web identity. */
  stsEndpoint?: string;
  readFile?: (path: string) => Promise<string>;
  fetch?: typeof fetch;
  now?: () => number;
  /** refreshBeforeMs renews temporary credentials this long before they expire (default 5 minutes). */
  refreshBeforeMs?: number;
}

/** CredentialsUnavailableError says no source of the chain had credentials. */
export class CredentialsUnavailableError extends Error {
  override name = 'CredentialsUnavailableError';
}

function credentialsFile(env: NodeJS.ProcessEnv): string {
  return env['AWS_SHARED_CREDENTIALS_FILE'] || join(env['HOME'] || homedir(), '.aws', 'credentials');
}

async function fromSharedFile(o: CredentialChainOptions, read: (p: string) => Promise<string>, required: boolean): Promise<ProxyCredentials | null> {
  const file = credentialsFile(o.env);
  const name = o.profile ?? (o.env['AWS_PROFILE'] || 'default');
  let text: string;
  try {
    text = await read(file);
  } catch (e) {
    if (required) throw new CredentialsUnavailableError(`profile ${name}: cannot read ${file}: ${(e as Error).message}`);
    return null;
  }
  const p = parseIni(text)[name];
  if (!p?.['aws_access_key_id'] || !p['aws_secret_access_key']) {
    if (required) throw new CredentialsUnavailableError(`profile ${name} in ${file} has no aws_access_key_id and aws_secret_access_key`);
    return null;
  }
  return { accessKeyId: p['aws_access_key_id'], secretAccessKey: p['aws_secret_access_key'], ...(p['aws_session_token'] ? { sessionToken: p['aws_session_token'] } : {}), source: `shared credentials file ${file} (profile ${name})` };
}

function fromEnv(env: NodeJS.ProcessEnv): ProxyCredentials | null {
  const id = env['AWS_ACCESS_KEY_ID'];
  const secret = env['AWS_SECRET_ACCESS_KEY'];
  if (!id || !secret) return null;
  return { accessKeyId: id, secretAccessKey: secret, ...(env['AWS_SESSION_TOKEN'] ? { sessionToken: env['AWS_SESSION_TOKEN'] } : {}), source: 'environment' };
}

async function fromWebIdentity(o: CredentialChainOptions, read: (p: string) => Promise<string>, now: () => number): Promise<ProxyCredentials | null> {
  const tokenFile = o.env['AWS_WEB_IDENTITY_TOKEN_FILE'];
  const roleArn = o.env['AWS_ROLE_ARN'];
  if (!tokenFile || !roleArn) return null;
  const token = (await read(tokenFile)).trim();
  const stsEndpoint = o.stsEndpoint ?? (o.env['AWS_ENDPOINT_URL_STS'] || o.env['AWS_ENDPOINT_URL'] || `https://sts.${o.region}.amazonaws.com`);
  const sessionName = o.env['AWS_ROLE_SESSION_NAME'] || `amphora-sigv4-proxy-${now()}`;
  return assumeRoleWithWebIdentity({ stsEndpoint, roleArn, sessionName, token, fetch: o.fetch ?? fetch });
}

/**
 * resolveCredentials walks the usual AWS chain once: with --profile only that profile of the shared
 * credentials file; otherwise the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
 * AWS_SESSION_TOKEN), then the web identity token file (AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN,
 * STS AssumeRoleWithWebIdentity at the configured endpoint), then the shared credentials file
 * (AWS_SHARED_CREDENTIALS_FILE or ~/.aws/credentials, profile AWS_PROFILE or default).
 */
export async function resolveCredentials(o: CredentialChainOptions): Promise<ProxyCredentials> {
  const read = o.readFile ?? ((p: string) => readFile(p, 'utf8'));
  const now = o.now ?? Date.now;
  if (o.profile !== undefined) return (await fromSharedFile(o, read, true))!;
  const found = fromEnv(o.env) ?? (await fromWebIdentity(o, read, now)) ?? (await fromSharedFile(o, read, false));
  if (found) return found;
  throw new CredentialsUnavailableError(
    `no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN, or a profile in ${credentialsFile(o.env)} (--profile / AWS_PROFILE)`,
  );
}

/** CredentialSource hands out current credentials, renewing temporary ones before they expire. */
export interface CredentialSource {
  get(): Promise<ProxyCredentials>;
}

/** credentialChain returns a CredentialSource over resolveCredentials: cached, refreshed refreshBeforeMs before expiry, one refresh at a time. */
export function credentialChain(o: CredentialChainOptions): CredentialSource {
  const now = o.now ?? Date.now;
  const before = o.refreshBeforeMs ?? 5 * 60_000;
  let current: ProxyCredentials | undefined;
  let pending: Promise<ProxyCredentials> | undefined;
  return {
    get(): Promise<ProxyCredentials> {
      if (current && (current.expiresAt === undefined || now() < current.expiresAt - before)) return Promise.resolve(current);
      pending ??= resolveCredentials(o).then(
        (c) => {
          current = c;
          pending = undefined;
          return c;
        },
        (e: unknown) => {
          pending = undefined;
          // Keep serving with credentials that have not yet expired when a refresh fails.
          if (current?.expiresAt !== undefined && now() < current.expiresAt) return current;
          throw e;
        },
      );
      return pending;
    },
  };
}
