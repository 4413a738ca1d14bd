import { inTransaction, tagsFromJson, type StoreContext } from './context.js';
import { IamError, noSuchEntity, validationError } from './errors.js';
import type { OidcProviderDetails, Tag } from './types.js';
import { checkTags, mergeTags, removeTags } from './validate.js';
import { oidcProviderArn } from '../arn.js';

/** MAX_CLIENT_IDS and MAX_THUMBPRINTS are IAM's quotas per OIDC provider. */
export const MAX_CLIENT_IDS = 100;
/** MAX_THUMBPRINTS is IAM's quota of server certificate thumbprints per OIDC provider. */
export const MAX_THUMBPRINTS = 5;

interface OidcRow {
  arn: string;
  url: string;
  client_ids: string;
  thumbprints: string;
  jwks_file: string | null;
  created_at: number;
  tags: string;
}

/** CreateOidcProviderInput is what CreateOpenIDConnectProvider takes (jwksFile is Amphora's air-gap extension). */
export interface CreateOidcProviderInput {
  url: string;
  clientIds?: string[];
  thumbprints?: string[];
  tags?: Tag[];
  jwksFile?: string;
}

/** normaliseIssuer strips https:// and a trailing slash from an issuer URL, as IAM stores it. */
export function normaliseIssuer(url: string): string {
  return url.replace(/^https:\/\//i, '').replace(/\/+$/, '');
}

function checkClientIds(ids: readonly string[]): void {
  if (ids.length > MAX_CLIENT_IDS) throw new IamError('LimitExceeded', `Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: ${MAX_CLIENT_IDS}`);
  for (const id of ids) if (id.length < 1 || id.length > 255) throw validationError(id, 'clientIDList', 'Member must have length between 1 and 255');
}

function checkThumbprints(tps: readonly string[]): void {
  if (tps.length > MAX_THUMBPRINTS) throw new IamError('LimitExceeded', `Cannot exceed quota for ThumbprintsPerOpenIdConnectProvider: ${MAX_THUMBPRINTS}`);
  for (const t of tps) if (t.length !== 40) throw validationError(t, 'thumbprintList', 'Member must have length greater than or equal to 40');
  for (const t of tps) if (!/^[0-9a-fA-F]{40}$/.test(t)) throw new IamError('InvalidInput', `Thumbprint ${t} is not a hex-encoded SHA-1 hash.`);
}

/** OidcProvidersRepo manages IAM OpenID Connect identity providers. */
export class OidcProvidersRepo {
  constructor(private readonly ctx: StoreContext) {}

  private toRecord(r: OidcRow): OidcProviderDetails {
    const d: OidcProviderDetails = {
      arn: r.arn, url: r.url, clientIds: JSON.parse(r.client_ids) as string[], thumbprints: JSON.parse(r.thumbprints) as string[],
      createdAt: r.created_at, tags: tagsFromJson(r.tags),
    };
    if (r.jwks_file !== null) d.jwksFile = r.jwks_file;
    return d;
  }

  /** create registers a provider; the URL must be https without query or fragment; EntityAlreadyExists for a known URL. */
  create(input: CreateOidcProviderInput): OidcProviderDetails {
    if (input.url.length < 1 || input.url.length > 255) throw validationError(input.url, 'url', 'Member must have length between 1 and 255');
    let parsed: URL;
    try {
      parsed = new URL(input.url);
    } catch {
      throw new IamError('InvalidInput', `Invalid URL: ${input.url}`);
    }
    if (parsed.protocol !== 'https:') throw new IamError('InvalidInput', 'The URL must begin with https://');
    if (parsed.search || parsed.hash || input.url.includes('#') || input.url.includes('?')) throw new IamError('InvalidInput', 'The URL must not contain a query string or fragment.');
    const clientIds = [...new Set(input.clientIds ?? [])];
    const thumbprints = [...new Set((input.thumbprints ?? []).map((t) => t.toLowerCase()))];
    const tags = input.tags ?? [];
    checkClientIds(clientIds);
    checkThumbprints(input.thumbprints ?? []);
    checkTags(tags);
    const url = normaliseIssuer(input.url);
    return inTransaction(this.ctx, () => {
      if (this.byIssuer(url)) throw new IamError('EntityAlreadyExists', `Provider with url ${input.url} already exists.`);
      const row: OidcRow = {
        arn: oidcProviderArn(this.ctx.accountId, url), url, client_ids: JSON.stringify(clientIds), thumbprints: JSON.stringify(thumbprints),
        jwks_file: input.jwksFile ?? null, created_at: this.ctx.now(), tags: JSON.stringify(tags),
      };
      this.ctx.db.prepare('INSERT INTO auth_oidc_providers (arn, url, client_ids, thumbprints, jwks_file, created_at, tags) VALUES (@arn, @url, @client_ids, @thumbprints, @jwks_file, @created_at, @tags)').run(row);
      return this.toRecord(row);
    });
  }

  /** find returns the provider with that ARN, or null. */
  find(arn: string): OidcProviderDetails | null {
    const r = this.ctx.db.prepare('SELECT * FROM auth_oidc_providers WHERE arn = ?').get(arn) as OidcRow | undefined;
    return r ? this.toRecord(r) : null;
  }

  /** get returns the provider or throws NoSuchEntity. */
  get(arn: string): OidcProviderDetails {
    const p = this.find(arn);
    if (!p) throw noSuchEntity(`OpenIDConnect Provider not found for arn ${arn}`);
    return p;
  }

  /** byIssuer returns the provider for an issuer URL (with or without https://), or null. */
  byIssuer(issuerUrl: string): OidcProviderDetails | null {
    const r = this.ctx.db.prepare('SELECT * FROM auth_oidc_providers WHERE url = ?').get(normaliseIssuer(issuerUrl)) as OidcRow | undefined;
    return r ? this.toRecord(r) : null;
  }

  /** list returns every provider, sorted by ARN. */
  list(): OidcProviderDetails[] {
    return (this.ctx.db.prepare('SELECT * FROM auth_oidc_providers ORDER BY arn').all() as OidcRow[]).map((r) => this.toRecord(r));
  }

  /** delete removes a provider; NoSuchEntity when unknown. */
  delete(arn: string): void {
    inTransaction(this.ctx, () => {
      this.get(arn);
      this.ctx.db.prepare('DELETE FROM auth_oidc_providers WHERE arn = ?').run(arn);
    });
  }

  /** addClientId adds an audience (idempotent). */
  addClientId(arn: string, clientId: string): void {
    inTransaction(this.ctx, () => {
      const p = this.get(arn);
      if (p.clientIds.includes(clientId)) return;
      const ids = [...p.clientIds, clientId];
      checkClientIds(ids);
      this.ctx.db.prepare('UPDATE auth_oidc_providers SET client_ids = ? WHERE arn = ?').run(JSON.stringify(ids), arn);
    });
  }

  /** removeClientId removes an audience (absent ones are no error, as IAM). */
  removeClientId(arn: string, clientId: string): void {
    inTransaction(this.ctx, () => {
      const p = this.get(arn);
      this.ctx.db.prepare('UPDATE auth_oidc_providers SET client_ids = ? WHERE arn = ?').run(JSON.stringify(p.clientIds.filter((c) => c !== clientId)), arn);
    });
  }

  /** updateThumbprints replaces the thumbprint list. */
  updateThumbprints(arn: string, thumbprints: readonly string[]): void {
    checkThumbprints(thumbprints);
    inTransaction(this.ctx, () => {
      this.get(arn);
      this.ctx.db.prepare('UPDATE auth_oidc_providers SET thumbprints = ? WHERE arn = ?').run(JSON.stringify([...new Set(thumbprints.map((t) => t.toLowerCase()))]), arn);
    });
  }

  /** setJwksFile sets or clears the local JWKS file of a provider (Amphora extension for air-gapped installs). */
  setJwksFile(arn: string, file: string | null): void {
    inTransaction(this.ctx, () => {
      this.get(arn);
      this.ctx.db.prepare('UPDATE auth_oidc_providers SET jwks_file = ? WHERE arn = ?').run(file, arn);
    });
  }

  /** tag adds or overwrites tags on a provider. */
  tag(arn: string, tags: readonly Tag[]): void {
    inTransaction(this.ctx, () => {
      const p = this.get(arn);
      this.ctx.db.prepare('UPDATE auth_oidc_providers SET tags = ? WHERE arn = ?').run(JSON.stringify(mergeTags(p.tags, tags)), arn);
    });
  }

  /** untag removes tags by key from a provider. */
  untag(arn: string, keys: readonly string[]): void {
    inTransaction(this.ctx, () => {
      const p = this.get(arn);
      this.ctx.db.prepare('UPDATE auth_oidc_providers SET tags = ? WHERE arn = ?').run(JSON.stringify(removeTags(p.tags, keys)), arn);
    });
  }
}
