import { readFile, stat } from 'node:fs/promises';
import type { OidcProviderRecord } from '../authn/identity-store.js';
import type { Logger } from '../../model/logger.js';
import { IDP_COMMUNICATION_MESSAGE, WebIdentityError } from './errors.js';
import { JwksFileError, resolveJwksFile } from './jwks-file.js';
import { SIGNATURE_UNVERIFIED_MESSAGE, type Jwk } from './jwt.js';

/** JwksSourceOptions configure a JwksSource. */
export interface JwksSourceOptions {
  now: () => number;
  /** fetch is the HTTP client (default: global fetch). */
  fetch?: typeof fetch;
  /** ttlMs is how long fetched keys are used before refetching (default 1 hour). */
  ttlMs?: number;
  /** minRefreshMs is the shortest interval between refetches forced by an unknown kid (default 60 s). */
  minRefreshMs?: number;
  /** timeoutMs bounds each discovery or JWKS request (default 5 s). */
  timeoutMs?: number;
  /** jwksDir is the only directory local JWKS files may be read from (auth.jwksDir; unset: none). */
  jwksDir?: string;
  /** logger tells administrators why a local JWKS file could not be used (callers only see InvalidIdentityToken). */
  logger?: Logger;
}

interface CacheEntry {
  keys: Jwk[];
  fetchedAt: number;
  /** version is the file's mtime for local JWKS files. */
  version?: number;
}

/** issuerUrlOf returns a provider's issuer URL: https://<url>, or the url as stored when it names its scheme (http:// for local test issuers). */
export function issuerUrlOf(provider: Pick<OidcProviderRecord, 'url'>): string {
  return /^https?:\/\//.test(provider.url) ? provider.url.replace(/\/+$/, '') : `https://${provider.url.replace(/\/+$/, '')}`;
}

/** issuerKey returns the issuer without its scheme, as IAM names it in condition keys (<issuer>:sub, <issuer>:aud). */
export function issuerKey(issuer: string): string {
  return issuer.replace(/^https?:\/\//, '').replace(/\/+$/, '');
}

function parseJwks(text: string, where: string): Jwk[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new WebIdentityError('IDPCommunicationError', `${IDP_COMMUNICATION_MESSAGE} (${where} is not JSON)`, { cause: e });
  }
  const keys = (doc as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys)) throw new WebIdentityError('IDPCommunicationError', `${IDP_COMMUNICATION_MESSAGE} (${where} has no keys array)`);
  return keys.filter((k): k is Jwk => !!k && typeof k === 'object');
}

/**
 * JwksSource supplies a provider's signing keys: from its local JWKS file (re-read when the file
 * changes) or from the issuer's discovery document (`<issuer>/.well-known/openid-configuration` ->
 * jwks_uri), cached for ttlMs and refetched early (at most every minRefreshMs) when a token names an
 * unknown kid.
 */
export class JwksSource {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly opts: Required<Omit<JwksSourceOptions, 'fetch' | 'jwksDir' | 'logger'>> & Pick<JwksSourceOptions, 'jwksDir' | 'logger'> & { fetch: typeof fetch };

  constructor(opts: JwksSourceOptions) {
    this.opts = {
      now: opts.now,
      fetch: opts.fetch ?? ((url, init) => fetch(url, init)),
      ttlMs: opts.ttlMs ?? 3_600_000,
      minRefreshMs: opts.minRefreshMs ?? 60_000,
      timeoutMs: opts.timeoutMs ?? 5_000,
      ...(opts.jwksDir !== undefined ? { jwksDir: opts.jwksDir } : {}),
      ...(opts.logger !== undefined ? { logger: opts.logger } : {}),
    };
  }

  /** keys returns the provider's keys; kid, when given and unknown to the cache, triggers a refetch. */
  async keys(provider: OidcProviderRecord, kid?: string): Promise<Jwk[]> {
    if (provider.jwksFile) return this.fileKeys(provider.jwksFile);
    const issuer = issuerUrlOf(provider);
    const now = this.opts.now();
    const hit = this.cache.get(issuer);
    const fresh = hit && now - hit.fetchedAt < this.opts.ttlMs;
    const knowsKid = kid === undefined || !!hit?.keys.some((k) => k.kid === kid);
    if (hit && fresh && (knowsKid || now - hit.fetchedAt < this.opts.minRefreshMs)) return hit.keys;
    const keys = await this.discover(issuer);
    this.cache.set(issuer, { keys, fetchedAt: now });
    return keys;
  }

  /**
   * fileKeys reads a provider's local JWKS file, only under jwksDir. Whether the file exists or parses
   * is told to administrators (the log, and CreateOpenIDConnectProvider), never to the unsigned caller:
   * every failure answers as a signature that could not be verified.
   */
  private async fileKeys(file: string): Promise<Jwk[]> {
    let real: string;
    let mtime: number;
    try {
      real = resolveJwksFile(file, this.opts.jwksDir);
      mtime = (await stat(real)).mtimeMs;
    } catch (e) {
      throw this.fileUnusable(file, e);
    }
    const hit = this.cache.get(`file:${real}`);
    if (hit && hit.version === mtime) return hit.keys;
    let keys: Jwk[];
    try {
      keys = parseJwks(await readFile(real, 'utf8'), `JWKS file ${file}`);
    } catch (e) {
      throw this.fileUnusable(file, e);
    }
    this.cache.set(`file:${real}`, { keys, fetchedAt: this.opts.now(), version: mtime });
    return keys;
  }

  private fileUnusable(file: string, e: unknown): WebIdentityError {
    const reason = e instanceof JwksFileError || e instanceof WebIdentityError ? e.message : `cannot read the JWKS file ${file}`;
    this.opts.logger?.warn({ event: 'jwks_file_unusable', file, reason }, 'a provider\'s local JWKS file cannot be used');
    return new WebIdentityError('InvalidIdentityToken', SIGNATURE_UNVERIFIED_MESSAGE, { cause: e });
  }

  private async getJson(url: string): Promise<string> {
    let res: Response;
    try {
      res = await this.opts.fetch(url, { signal: AbortSignal.timeout(this.opts.timeoutMs), headers: { accept: 'application/json' } });
    } catch (e) {
      throw new WebIdentityError('IDPCommunicationError', `${IDP_COMMUNICATION_MESSAGE} (${url}: ${(e as Error).message})`, { cause: e });
    }
    if (!res.ok) throw new WebIdentityError('IDPCommunicationError', `${IDP_COMMUNICATION_MESSAGE} (${url} answered ${res.status})`);
    return res.text();
  }

  private async discover(issuer: string): Promise<Jwk[]> {
    const discoveryUrl = `${issuer}/.well-known/openid-configuration`;
    let config: { jwks_uri?: unknown; issuer?: unknown };
    try {
      config = JSON.parse(await this.getJson(discoveryUrl)) as typeof config;
    } catch (e) {
      if (e instanceof WebIdentityError) throw e;
      throw new WebIdentityError('IDPCommunicationError', `${IDP_COMMUNICATION_MESSAGE} (${discoveryUrl} is not JSON)`, { cause: e });
    }
    if (typeof config?.jwks_uri !== 'string') {
      throw new WebIdentityError('IDPCommunicationError', `${IDP_COMMUNICATION_MESSAGE} (${discoveryUrl} has no jwks_uri)`);
    }
    return parseJwks(await this.getJson(config.jwks_uri), config.jwks_uri);
  }
}
