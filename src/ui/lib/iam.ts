import type { Credentials } from './credentials';
import { members, queryApiCall, record, text } from './query-api';

/** CallerIdentity is STS GetCallerIdentity's answer. */
export interface CallerIdentity {
  readonly Arn: string;
  readonly Account: string;
  readonly UserId: string;
}

/** getCallerIdentity asks STS who the credentials belong to (the sign-in check). */
export async function getCallerIdentity(creds: Credentials): Promise<CallerIdentity> {
  return record(await queryApiCall(creds, 'sts', 'GetCallerIdentity'), ['Arn', 'Account', 'UserId'] as const);
}

/** IamRow is one listed IAM entity as named strings. */
export type IamRow<K extends string> = Record<K, string>;

/** iamList runs a List* action and reads its members' fields. */
export async function iamList<K extends string>(creds: Credentials, action: string, listName: string, fields: readonly K[], params: Record<string, string> = {}): Promise<IamRow<K>[]> {
  const result = await queryApiCall(creds, 'iam', action, params);
  return members(result, listName).map((m) => record(m, fields));
}

/** iamDo runs an IAM action and returns its result element. */
export async function iamDo(creds: Credentials, action: string, params: Record<string, string> = {}): Promise<Element> {
  return queryApiCall(creds, 'iam', action, params);
}

/** USER_FIELDS are the user fields the console shows. */
export const USER_FIELDS = ['UserName', 'UserId', 'Arn', 'CreateDate'] as const;
/** ROLE_FIELDS are the role fields the console shows. */
export const ROLE_FIELDS = ['RoleName', 'RoleId', 'Arn', 'CreateDate'] as const;
/** POLICY_FIELDS are the managed-policy fields the console shows. */
export const POLICY_FIELDS = ['PolicyName', 'Arn', 'DefaultVersionId', 'AttachmentCount'] as const;
/** ACCESS_KEY_FIELDS are the access-key fields the console shows. */
export const ACCESS_KEY_FIELDS = ['AccessKeyId', 'Status', 'CreateDate'] as const;
/** SERVICE_CREDENTIAL_FIELDS are the service-specific credential fields the console shows. */
export const SERVICE_CREDENTIAL_FIELDS = ['ServiceSpecificCredentialId', 'ServiceUserName', 'Status', 'CreateDate'] as const;
/** ATTACHED_POLICY_FIELDS are the fields of an attached managed policy. */
export const ATTACHED_POLICY_FIELDS = ['PolicyName', 'PolicyArn'] as const;

/** NewServiceCredential is what CreateServiceSpecificCredential returns once (the password is never shown again). */
export interface NewServiceCredential {
  readonly ServiceUserName: string;
  readonly ServicePassword: string;
  readonly ServiceSpecificCredentialId: string;
}

/** createServiceCredential creates an aps.amazonaws.com credential for a user. */
export async function createServiceCredential(creds: Credentials, userName: string): Promise<NewServiceCredential> {
  const r = await iamDo(creds, 'CreateServiceSpecificCredential', { UserName: userName, ServiceName: 'aps.amazonaws.com' });
  return { ServiceUserName: text(r, 'ServiceUserName'), ServicePassword: text(r, 'ServicePassword'), ServiceSpecificCredentialId: text(r, 'ServiceSpecificCredentialId') };
}

/** NewAccessKey is what CreateAccessKey returns once. */
export interface NewAccessKey {
  readonly AccessKeyId: string;
  readonly SecretAccessKey: string;
}

/** createAccessKey creates an access key for a user. */
export async function createAccessKey(creds: Credentials, userName: string): Promise<NewAccessKey> {
  const r = await iamDo(creds, 'CreateAccessKey', { UserName: userName });
  return { AccessKeyId: text(r, 'AccessKeyId'), SecretAccessKey: text(r, 'SecretAccessKey') };
}
