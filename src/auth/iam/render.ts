import type { GroupRecord, ManagedPolicyInfo, OidcProviderDetails, PolicyVersionRecord, RoleDetails, Tag, UserAccessKey, UserRecord } from '../store/types.js';
import { el, isoDate, memberList, policyDocumentXml, raw, textList } from './xml.js';

/** tagsXml renders <Tags> (nothing for an empty list). */
export function tagsXml(tags: readonly Tag[], name = 'Tags'): string {
  return tags.length === 0 ? '' : memberList(name, tags, (t) => el('Key', t.Key) + el('Value', t.Value));
}

/** userXml renders an IAM User structure's fields. */
export function userXml(u: UserRecord, withTags = true): string {
  return el('Path', u.path) + el('UserName', u.userName) + el('UserId', u.userId) + el('Arn', u.arn) + el('CreateDate', isoDate(u.createdAt)) + (withTags ? tagsXml(u.tags) : '');
}

/** groupXml renders an IAM Group structure's fields. */
export function groupXml(g: GroupRecord): string {
  return el('Path', g.path) + el('GroupName', g.groupName) + el('GroupId', g.groupId) + el('Arn', g.arn) + el('CreateDate', isoDate(g.createdAt));
}

/** accessKeyXml renders an AccessKey (with secret) or AccessKeyMetadata (without) structure's fields. */
export function accessKeyXml(k: UserAccessKey, withSecret: boolean): string {
  return el('UserName', k.userName) + el('AccessKeyId', k.accessKeyId) + el('Status', k.status) + (withSecret ? el('SecretAccessKey', k.secretAccessKey) : '') + el('CreateDate', isoDate(k.createdAt));
}

/** roleXml renders an IAM Role structure's fields; GetRole adds RoleLastUsed and Tags. */
export function roleXml(r: RoleDetails, detailed: boolean): string {
  return (
    el('Path', r.path) +
    policyDocumentXml('AssumeRolePolicyDocument', r.trustPolicy) +
    el('MaxSessionDuration', r.maxSessionDuration) +
    el('RoleId', r.roleId) +
    (detailed ? raw('RoleLastUsed', '') : '') +
    el('RoleName', r.roleName) +
    el('Description', r.description) +
    el('Arn', r.arn) +
    el('CreateDate', isoDate(r.createdAt)) +
    (detailed ? tagsXml(r.tags) : '')
  );
}

/** policyXml renders an IAM Policy structure's fields. */
export function policyXml(p: ManagedPolicyInfo, withDescription: boolean): string {
  return (
    el('PolicyName', p.policyName) +
    el('DefaultVersionId', p.defaultVersionId) +
    el('PolicyId', p.policyId) +
    el('Path', p.path) +
    el('Arn', p.arn) +
    el('AttachmentCount', p.attachmentCount) +
    el('PermissionsBoundaryUsageCount', 0) +
    el('IsAttachable', true) +
    (withDescription ? el('Description', p.description) : '') +
    el('CreateDate', isoDate(p.createdAt)) +
    el('UpdateDate', isoDate(p.updatedAt)) +
    tagsXml(p.tags)
  );
}

/** policyVersionXml renders a PolicyVersion structure's fields (the document URL-encoded, as IAM). */
export function policyVersionXml(v: PolicyVersionRecord, withDocument: boolean): string {
  return (withDocument ? policyDocumentXml('Document', v.document) : '') + el('VersionId', v.versionId) + el('IsDefaultVersion', v.isDefault) + el('CreateDate', isoDate(v.createdAt));
}

/** oidcProviderXml renders GetOpenIDConnectProvider's result fields. */
export function oidcProviderXml(p: OidcProviderDetails): string {
  return textList('ThumbprintList', p.thumbprints) + el('CreateDate', isoDate(p.createdAt)) + textList('ClientIDList', p.clientIds) + el('Url', p.url) + tagsXml(p.tags);
}
