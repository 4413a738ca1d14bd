import type { Principal } from '../../http/route-auth.js';
import { migrate, type MetaDB } from '../../metadb/metadb.js';
import { sealPlaintext } from '../../metadb/secrets/columns.js';
import { SecretBox } from '../../metadb/secrets/secret-box.js';
import type { Credentials } from '../root-credentials.js';
import { AccessKeysRepo } from './access-keys.js';
import { tagsToRecord, type StoreContext } from './context.js';
import { EntityPoliciesRepo } from './entity-policies.js';
import { GroupsRepo } from './groups.js';
import { defaultRandom, type RandomSource } from './ids.js';
import { ManagedPoliciesRepo } from './managed-policies.js';
import { AUTH_MIGRATIONS } from './migrations.js';
import { OidcProvidersRepo } from './oidc-providers.js';
import { RolesRepo } from './roles.js';
import { AUTH_SEALED_COLUMNS } from './sealed-columns.js';
import { ServiceCredentialsRepo } from './service-credentials.js';
import { SessionsRepo } from './sessions.js';
import type { AccessKeyRecord, EntityKind, IdentityStore, OidcProviderRecord, RoleRecord } from './types.js';
import { UsersRepo } from './users.js';
import { accountRootArn } from '../arn.js';

/** DEFAULT_ACCOUNT_ID is the account Amphora serves unless configured otherwise. */
export const DEFAULT_ACCOUNT_ID = '000000000000';

/** IdentityStoreOptions configure SqliteIdentityStore. */
export interface IdentityStoreOptions {
  /** db is the metadata database; the store applies its migrations (module 'auth'). */
  db: MetaDB;
  /** accountId defaults to 000000000000. */
  accountId?: string;
  /** root is the account root's access key pair (from config or <data-dir>/credentials); without it no root key resolves. */
  root?: Credentials;
  now?: () => number;
  random?: RandomSource;
  /**
   * secrets seals secret keys and session credentials under the key-encryption key (the metadata
   * store's openSecrets). Required for a database file; an in-memory database gets a throwaway key.
   */
  secrets?: SecretBox;
}

/** SqliteIdentityStore is the identity store in the embedded metadata database: the IdentityStore contract plus the CRUD the IAM API needs. */
export class SqliteIdentityStore implements IdentityStore {
  readonly accountId: string;
  /** users are the IAM users. */
  readonly users: UsersRepo;
  /** accessKeys are the IAM users' long-term keys. */
  readonly accessKeys: AccessKeysRepo;
  /** groups are the IAM groups and memberships. */
  readonly groups: GroupsRepo;
  /** roles are the IAM roles. */
  readonly roles: RolesRepo;
  /** policies are the customer managed policies (and the built-in AWS managed ones, read-only). */
  readonly policies: ManagedPoliciesRepo;
  /** entityPolicies are attachments and inline policies. */
  readonly entityPolicies: EntityPoliciesRepo;
  /** oidcProviders are the OpenID Connect identity providers. */
  readonly oidcProviders: OidcProvidersRepo;
  /** sessions are temporary STS credentials. */
  readonly sessions: SessionsRepo;
  /** serviceCredentials are the users' service-specific credentials (HTTP basic / bearer on the data plane). */
  readonly serviceCredentials: ServiceCredentialsRepo;
  private readonly root: Credentials | undefined;

  constructor(options: IdentityStoreOptions) {
    const accountId = options.accountId ?? DEFAULT_ACCOUNT_ID;
    if (!/^\d{12}$/.test(accountId)) throw new Error(`account id must be 12 digits, got '${accountId}'`);
    migrate(options.db, 'auth', AUTH_MIGRATIONS);
    if (!options.secrets && !options.db.memory) throw new Error('the identity store of a database file needs the key-encryption key (options.secrets)');
    const secrets = options.secrets ?? new SecretBox(defaultRandom(32));
    // Rows written before secrets were sealed are sealed now, once.
    sealPlaintext(options.db, secrets, AUTH_SEALED_COLUMNS);
    const ctx: StoreContext = { db: options.db, accountId, now: options.now ?? Date.now, random: options.random ?? defaultRandom, secrets };
    this.accountId = accountId;
    this.root = options.root;
    this.users = new UsersRepo(ctx);
    this.accessKeys = new AccessKeysRepo(ctx, this.users);
    this.groups = new GroupsRepo(ctx, this.users);
    this.roles = new RolesRepo(ctx);
    this.policies = new ManagedPoliciesRepo(ctx);
    this.entityPolicies = new EntityPoliciesRepo(ctx, { users: this.users, groups: this.groups, roles: this.roles, policies: this.policies });
    this.oidcProviders = new OidcProvidersRepo(ctx);
    this.sessions = new SessionsRepo(ctx);
    this.serviceCredentials = new ServiceCredentialsRepo(ctx, this.users);
  }

  /** rootPrincipal is the account root as a principal (accessKeyId: the root key, or '' without one). */
  rootPrincipal(): Principal {
    return { type: 'root', arn: accountRootArn(this.accountId), userId: this.accountId, accountId: this.accountId, accessKeyId: this.root?.accessKeyId ?? '' };
  }

  /** findAccessKey resolves root keys, IAM user keys and temporary session keys (null when unknown). */
  findAccessKey(accessKeyId: string): AccessKeyRecord | null {
    if (this.root && accessKeyId === this.root.accessKeyId) {
      return { accessKeyId, secretAccessKey: this.root.secretAccessKey, status: 'Active', principal: this.rootPrincipal(), createdAt: 0 };
    }
    if (accessKeyId.startsWith('ASIA')) return this.sessions.find(accessKeyId);
    const found = this.accessKeys.find(accessKeyId);
    if (!found) return null;
    const { key, user } = found;
    const principal: Principal = { type: 'user', arn: user.arn, userId: user.userId, accountId: this.accountId, accessKeyId, username: user.userName, tags: tagsToRecord(user.tags) };
    return { accessKeyId, secretAccessKey: key.secretAccessKey, status: key.status, principal, createdAt: key.createdAt };
  }

  /** identityPolicies lists the policy documents that apply: a user's inline, attached and group policies; an assumed role's inline and attached policies. */
  identityPolicies(principal: Principal): { name: string; document: string }[] {
    switch (principal.type) {
      case 'root':
      case 'federated':
        return [];
      case 'user': {
        const user = this.users.byId(principal.userId);
        if (!user || user.arn !== principal.arn) return [];
        const out = this.policiesOf('user', user.userId);
        for (const g of this.groups.forUserId(user.userId)) out.push(...this.policiesOf('group', g.groupId));
        return dedupe(out);
      }
      case 'assumed-role': {
        const roleId = principal.userId.split(':')[0]!;
        const role = this.roles.byId(roleId);
        return role ? dedupe(this.policiesOf('role', role.roleId)) : [];
      }
      default:
        return assertNever(principal.type);
    }
  }

  private policiesOf(kind: EntityKind, id: string): { name: string; document: string; key: string }[] {
    const out = this.entityPolicies.inlineById(kind, id).map((p) => ({ name: p.name, document: p.document, key: `${kind}:${id}:${p.name}` }));
    for (const a of this.entityPolicies.attachedById(kind, id)) {
      const d = this.policies.defaultDocument(a.policyArn);
      if (d) out.push({ name: d.name, document: d.document, key: a.policyArn });
    }
    return out;
  }

  /** getRoleByArn returns the role with that ARN (path included), or null. */
  getRoleByArn(arn: string): RoleRecord | null {
    const r = this.roles.byArn(arn);
    if (!r) return null;
    return { arn: r.arn, roleName: r.roleName, roleId: r.roleId, path: r.path, assumeRolePolicyDocument: r.trustPolicy, maxSessionDuration: r.maxSessionDuration, tags: tagsToRecord(r.tags) };
  }

  /** getOidcProviderByArn returns the OIDC provider with that ARN, or null. */
  getOidcProviderByArn(arn: string): OidcProviderRecord | null {
    const p = this.oidcProviders.find(arn);
    return p ? toOidcRecord(p) : null;
  }

  /** findOidcProviderByIssuer returns the provider for an issuer URL (with or without https://), or null. */
  findOidcProviderByIssuer(issuerUrl: string): OidcProviderRecord | null {
    const p = this.oidcProviders.byIssuer(issuerUrl);
    return p ? toOidcRecord(p) : null;
  }

  /** createSessionCredentials stores temporary credentials (ASIA... key id) for a session principal. */
  createSessionCredentials(input: { principal: Principal; expiresAt: number }): { accessKeyId: string; secretAccessKey: string; sessionToken: string; expiresAt: number } {
    return this.sessions.create(input);
  }
}

function toOidcRecord(p: OidcProviderRecord): OidcProviderRecord {
  const r: OidcProviderRecord = { arn: p.arn, url: p.url, clientIds: p.clientIds, thumbprints: p.thumbprints };
  if (p.jwksFile !== undefined) r.jwksFile = p.jwksFile;
  return r;
}

function dedupe(list: { name: string; document: string; key: string }[]): { name: string; document: string }[] {
  const seen = new Set<string>();
  const out: { name: string; document: string }[] = [];
  for (const p of list) {
    if (seen.has(p.key)) continue;
    seen.add(p.key);
    out.push({ name: p.name, document: p.document });
  }
  return out;
}

function assertNever(x: never): never {
  throw new Error(`unhandled principal type ${String(x)}`);
}
