import { createHash } from 'node:crypto';
import { MANAGED_POLICIES, type ManagedPolicy } from '../policy/managed.js';
import { iamArn, inTransaction, pathMatches, tagsFromJson, type StoreContext } from './context.js';
import { IamError, noSuchEntity, validationError } from './errors.js';
import { newUniqueId } from './ids.js';
import type { ManagedPolicyInfo, PolicyVersionRecord, Tag } from './types.js';
import { checkDescription, checkName, checkPath, checkPolicyDocument, checkTags } from './validate.js';

/** MAX_POLICY_VERSIONS is IAM's quota of stored versions per managed policy. */
export const MAX_POLICY_VERSIONS = 5;

/** AWS_MANAGED_CREATED_AT is the creation date Amphora reports for the built-in AWS managed policies. */
export const AWS_MANAGED_CREATED_AT = Date.UTC(2020, 11, 15);

const AWS_DEFAULT_VERSION: Readonly<Record<string, string>> = { AmazonPrometheusFullAccess: 'v2' };

interface PolicyRow {
  policy_id: string;
  name: string;
  path: string;
  arn: string;
  description: string | null;
  default_version: string;
  next_version: number;
  created_at: number;
  updated_at: number;
  tags: string;
}

interface VersionRow {
  version_id: string;
  document: string;
  created_at: number;
}

/** CreatePolicyInput is what CreatePolicy takes. */
export interface CreatePolicyInput {
  policyName: string;
  policyDocument: string;
  path?: string;
  description?: string;
  tags?: Tag[];
}

/** ListPoliciesFilter is ListPolicies' Scope, OnlyAttached and PathPrefix. */
export interface ListPoliciesFilter {
  scope?: 'All' | 'AWS' | 'Local';
  onlyAttached?: boolean;
  pathPrefix?: string;
}

function awsPolicyId(arn: string): string {
  const h = createHash('sha256').update(arn).digest();
  return newUniqueId('ANPA', (n) => h.subarray(0, n));
}

function notFound(arn: string): IamError {
  return noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
}

/** ManagedPoliciesRepo manages customer managed policies and their versions, and reports the built-in AWS managed ones. */
export class ManagedPoliciesRepo {
  constructor(private readonly ctx: StoreContext) {}

  private attachmentCount(arn: string): number {
    return (this.ctx.db.prepare('SELECT count(*) AS n FROM auth_attachments WHERE policy_arn = ?').get(arn) as { n: number }).n;
  }

  private fromRow(r: PolicyRow): ManagedPolicyInfo {
    const info: ManagedPolicyInfo = {
      policyId: r.policy_id, policyName: r.name, path: r.path, arn: r.arn, defaultVersionId: r.default_version, attachmentCount: this.attachmentCount(r.arn),
      awsManaged: false, createdAt: r.created_at, updatedAt: r.updated_at, tags: tagsFromJson(r.tags),
    };
    if (r.description !== null) info.description = r.description;
    return info;
  }

  private fromAws(p: ManagedPolicy): ManagedPolicyInfo {
    return {
      policyId: awsPolicyId(p.arn), policyName: p.name, path: '/', arn: p.arn, description: p.description, defaultVersionId: AWS_DEFAULT_VERSION[p.name] ?? 'v1',
      attachmentCount: this.attachmentCount(p.arn), awsManaged: true, createdAt: AWS_MANAGED_CREATED_AT, updatedAt: AWS_MANAGED_CREATED_AT, tags: [],
    };
  }

  private row(arn: string): PolicyRow | undefined {
    return this.ctx.db.prepare('SELECT * FROM auth_policies WHERE arn = ?').get(arn) as PolicyRow | undefined;
  }

  private localRow(arn: string): PolicyRow {
    const r = this.row(arn);
    if (!r) {
      if (MANAGED_POLICIES.has(arn)) throw new IamError('InvalidInput', `Policy ${arn} is an AWS managed policy and cannot be changed.`);
      throw notFound(arn);
    }
    return r;
  }

  /** create adds a customer managed policy with version v1 as default. */
  create(input: CreatePolicyInput): ManagedPolicyInfo {
    const path = input.path ?? '/';
    const tags = input.tags ?? [];
    checkName(input.policyName, 'policyName', 128);
    checkPath(path);
    if (input.description !== undefined) checkDescription(input.description);
    checkTags(tags);
    checkPolicyDocument(input.policyDocument, 'identity');
    return inTransaction(this.ctx, () => {
      const existing = this.ctx.db.prepare('SELECT arn FROM auth_policies WHERE name = ?').get(input.policyName);
      if (existing) throw new IamError('EntityAlreadyExists', `A policy called ${input.policyName} already exists. Duplicate names are not allowed.`);
      const now = this.ctx.now();
      const row: PolicyRow = {
        policy_id: newUniqueId('ANPA', this.ctx.random), name: input.policyName, path, arn: iamArn(this.ctx, 'policy', path, input.policyName),
        description: input.description ?? null, default_version: 'v1', next_version: 2, created_at: now, updated_at: now, tags: JSON.stringify(tags),
      };
      this.ctx.db
        .prepare('INSERT INTO auth_policies (policy_id, name, path, arn, description, default_version, next_version, created_at, updated_at, tags) VALUES (@policy_id, @name, @path, @arn, @description, @default_version, @next_version, @created_at, @updated_at, @tags)')
        .run(row);
      this.ctx.db.prepare('INSERT INTO auth_policy_versions (policy_id, version_id, document, created_at) VALUES (?, ?, ?, ?)').run(row.policy_id, 'v1', input.policyDocument, now);
      return this.fromRow(row);
    });
  }

  /** find returns a customer or AWS managed policy by ARN, or null. */
  find(arn: string): ManagedPolicyInfo | null {
    const aws = MANAGED_POLICIES.get(arn);
    if (aws) return this.fromAws(aws);
    const r = this.row(arn);
    return r ? this.fromRow(r) : null;
  }

  /** get returns a policy or throws NoSuchEntity. */
  get(arn: string): ManagedPolicyInfo {
    const p = this.find(arn);
    if (!p) throw notFound(arn);
    return p;
  }

  /** list returns managed policies per ListPolicies' filters, sorted by name. */
  list(filter: ListPoliciesFilter = {}): ManagedPolicyInfo[] {
    const scope = filter.scope ?? 'All';
    const out: ManagedPolicyInfo[] = [];
    if (scope !== 'Local') for (const p of MANAGED_POLICIES.values()) out.push(this.fromAws(p));
    if (scope !== 'AWS') for (const r of this.ctx.db.prepare('SELECT * FROM auth_policies').all() as PolicyRow[]) out.push(this.fromRow(r));
    return out
      .filter((p) => pathMatches(p.path, filter.pathPrefix) && (!filter.onlyAttached || p.attachmentCount > 0))
      .sort((a, b) => (a.policyName.toLowerCase() < b.policyName.toLowerCase() ? -1 : a.policyName.toLowerCase() > b.policyName.toLowerCase() ? 1 : 0));
  }

  /** delete removes a customer managed policy; DeleteConflict while attached or while it has non-default versions (as IAM). */
  delete(arn: string): void {
    inTransaction(this.ctx, () => {
      const r = this.localRow(arn);
      if (this.attachmentCount(arn) > 0) throw new IamError('DeleteConflict', 'Cannot delete a policy attached to entities.');
      const versions = (this.ctx.db.prepare('SELECT count(*) AS n FROM auth_policy_versions WHERE policy_id = ?').get(r.policy_id) as { n: number }).n;
      if (versions > 1) {
        throw new IamError('DeleteConflict', "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.");
      }
      this.ctx.db.prepare('DELETE FROM auth_policies WHERE policy_id = ?').run(r.policy_id);
    });
  }

  /** getVersion returns one version of a policy (AWS managed ones have only their default version). */
  getVersion(arn: string, versionId: string): PolicyVersionRecord {
    const missing = (): IamError => noSuchEntity(`Policy ${arn} version ${versionId} does not exist or is not attachable.`);
    const aws = MANAGED_POLICIES.get(arn);
    if (aws) {
      const info = this.fromAws(aws);
      if (versionId !== info.defaultVersionId) throw missing();
      return { versionId, document: aws.json, isDefault: true, createdAt: AWS_MANAGED_CREATED_AT };
    }
    const r = this.row(arn);
    if (!r) throw notFound(arn);
    const v = this.ctx.db.prepare('SELECT version_id, document, created_at FROM auth_policy_versions WHERE policy_id = ? AND version_id = ?').get(r.policy_id, versionId) as VersionRow | undefined;
    if (!v) throw missing();
    return { versionId: v.version_id, document: v.document, isDefault: v.version_id === r.default_version, createdAt: v.created_at };
  }

  /** listVersions returns a policy's versions, newest first. */
  listVersions(arn: string): PolicyVersionRecord[] {
    const aws = MANAGED_POLICIES.get(arn);
    if (aws) return [this.getVersion(arn, this.fromAws(aws).defaultVersionId)];
    const r = this.row(arn);
    if (!r) throw notFound(arn);
    const rows = this.ctx.db.prepare('SELECT version_id, document, created_at FROM auth_policy_versions WHERE policy_id = ?').all(r.policy_id) as VersionRow[];
    return rows
      .map((v) => ({ versionId: v.version_id, document: v.document, isDefault: v.version_id === r.default_version, createdAt: v.created_at }))
      .sort((a, b) => Number(b.versionId.slice(1)) - Number(a.versionId.slice(1)));
  }

  /** createVersion adds a version (optionally the new default); LimitExceeded past five versions. */
  createVersion(arn: string, document: string, setAsDefault: boolean): PolicyVersionRecord {
    checkPolicyDocument(document, 'identity');
    return inTransaction(this.ctx, () => {
      const r = this.localRow(arn);
      const n = (this.ctx.db.prepare('SELECT count(*) AS n FROM auth_policy_versions WHERE policy_id = ?').get(r.policy_id) as { n: number }).n;
      if (n >= MAX_POLICY_VERSIONS) {
        throw new IamError('LimitExceeded', `A managed policy can have up to ${MAX_POLICY_VERSIONS} versions. Before you create a new version, you must delete an existing version.`);
      }
      const now = this.ctx.now();
      const versionId = `v${r.next_version}`;
      this.ctx.db.prepare('INSERT INTO auth_policy_versions (policy_id, version_id, document, created_at) VALUES (?, ?, ?, ?)').run(r.policy_id, versionId, document, now);
      this.ctx.db
        .prepare('UPDATE auth_policies SET next_version = ?, updated_at = ?, default_version = ? WHERE policy_id = ?')
        .run(r.next_version + 1, now, setAsDefault ? versionId : r.default_version, r.policy_id);
      return { versionId, document, isDefault: setAsDefault, createdAt: now };
    });
  }

  /** deleteVersion removes a non-default version; DeleteConflict for the default one. */
  deleteVersion(arn: string, versionId: string): void {
    inTransaction(this.ctx, () => {
      const r = this.localRow(arn);
      this.getVersion(arn, versionId);
      if (versionId === r.default_version) throw new IamError('DeleteConflict', 'Cannot delete the default version of a policy.');
      this.ctx.db.prepare('DELETE FROM auth_policy_versions WHERE policy_id = ? AND version_id = ?').run(r.policy_id, versionId);
    });
  }

  /** setDefaultVersion makes an existing version the default. */
  setDefaultVersion(arn: string, versionId: string): void {
    if (!/^v[1-9][0-9]*(\.[A-Za-z0-9-]*)?$/.test(versionId)) throw validationError(versionId, 'versionId', 'Member must satisfy regular expression pattern: v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?');
    inTransaction(this.ctx, () => {
      const r = this.localRow(arn);
      this.getVersion(arn, versionId);
      this.ctx.db.prepare('UPDATE auth_policies SET default_version = ?, updated_at = ? WHERE policy_id = ?').run(versionId, this.ctx.now(), r.policy_id);
    });
  }

  /** defaultDocument returns the JSON of a policy's default version, or null when the policy does not exist. */
  defaultDocument(arn: string): { name: string; document: string } | null {
    const aws = MANAGED_POLICIES.get(arn);
    if (aws) return { name: aws.name, document: aws.json };
    const r = this.row(arn);
    if (!r) return null;
    const v = this.ctx.db.prepare('SELECT document FROM auth_policy_versions WHERE policy_id = ? AND version_id = ?').get(r.policy_id, r.default_version) as { document: string };
    return { name: r.name, document: v.document };
  }
}
