import type { Principal } from '../../http/route-auth.js';

/** Tag is an IAM resource tag; keys are unique ignoring case, order is kept. */
export interface Tag {
  readonly Key: string;
  readonly Value: string;
}

/** AccessKeyRecord is a credential the request authenticator resolves: root, IAM user or temporary session key. */
export interface AccessKeyRecord {
  accessKeyId: string;
  secretAccessKey: string;
  status: 'Active' | 'Inactive';
  /** principal is whose key it is (root, user, assumed-role session, federated session). */
  principal: Principal;
  /** expiresAt is the ms epoch expiry of temporary credentials only. */
  expiresAt?: number;
  /** sessionToken must match X-Amz-Security-Token (temporary credentials only). */
  sessionToken?: string;
  createdAt: number;
}

/** RoleRecord is an IAM role as the STS side needs it. */
export interface RoleRecord {
  arn: string;
  roleName: string;
  roleId: string;
  path: string;
  assumeRolePolicyDocument: string;
  /** maxSessionDuration is in seconds. */
  maxSessionDuration: number;
  tags: Record<string, string>;
}

/** OidcProviderRecord is an IAM OpenID Connect identity provider. */
export interface OidcProviderRecord {
  arn: string;
  /** url is the issuer without https://, as IAM stores it. */
  url: string;
  clientIds: string[];
  thumbprints: string[];
  /** jwksFile is an Amphora extension: a local JWKS file for air-gapped installs. */
  jwksFile?: string;
}

/** IdentityStore is the contract between the identity store (I1) and STS/request authentication (I2). */
export interface IdentityStore {
  readonly accountId: string;
  /** findAccessKey resolves root keys, IAM user keys and temporary session keys (null when unknown). */
  findAccessKey(accessKeyId: string): AccessKeyRecord | null;
  /** identityPolicies lists the policy documents (JSON text) that apply to the principal. */
  identityPolicies(principal: Principal): { name: string; document: string }[];
  /** getRoleByArn returns the role with that ARN (path included), or null. */
  getRoleByArn(arn: string): RoleRecord | null;
  /** getOidcProviderByArn returns the OIDC provider with that ARN, or null. */
  getOidcProviderByArn(arn: string): OidcProviderRecord | null;
  /** findOidcProviderByIssuer returns the provider for an issuer URL (with or without https://), or null. */
  findOidcProviderByIssuer(issuerUrl: string): OidcProviderRecord | null;
  /** createSessionCredentials stores temporary credentials (ASIA... key id) for a session principal. */
  createSessionCredentials(input: { principal: Principal; expiresAt: number }): { accessKeyId: string; secretAccessKey: string; sessionToken: string; expiresAt: number };
}

/** UserRecord is an IAM user. */
export interface UserRecord {
  userId: string;
  userName: string;
  path: string;
  arn: string;
  createdAt: number;
  tags: Tag[];
}

/** UserAccessKey is an IAM user's long-term access key. */
export interface UserAccessKey {
  accessKeyId: string;
  secretAccessKey: string;
  userName: string;
  status: 'Active' | 'Inactive';
  createdAt: number;
}

/** GroupRecord is an IAM group. */
export interface GroupRecord {
  groupId: string;
  groupName: string;
  path: string;
  arn: string;
  createdAt: number;
}

/** RoleDetails is a role with everything GetRole reports. */
export interface RoleDetails {
  roleId: string;
  roleName: string;
  path: string;
  arn: string;
  trustPolicy: string;
  description?: string;
  maxSessionDuration: number;
  createdAt: number;
  tags: Tag[];
}

/** ManagedPolicyInfo is a customer managed or AWS managed policy as GetPolicy/ListPolicies report it. */
export interface ManagedPolicyInfo {
  policyId: string;
  policyName: string;
  path: string;
  arn: string;
  description?: string;
  defaultVersionId: string;
  attachmentCount: number;
  awsManaged: boolean;
  createdAt: number;
  updatedAt: number;
  tags: Tag[];
}

/** PolicyVersionRecord is one version of a managed policy. */
export interface PolicyVersionRecord {
  versionId: string;
  document: string;
  isDefault: boolean;
  createdAt: number;
}

/** OidcProviderDetails is an OIDC provider with everything GetOpenIDConnectProvider reports. */
export interface OidcProviderDetails extends OidcProviderRecord {
  createdAt: number;
  tags: Tag[];
}

/** EntityKind names the IAM identities that policies attach to. */
export type EntityKind = 'user' | 'group' | 'role';

/** AttachedPolicyRef is a managed policy attached to an identity. */
export interface AttachedPolicyRef {
  policyName: string;
  policyArn: string;
}
