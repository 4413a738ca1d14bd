import { parsePolicy } from '../policy/parse.js';
import { MalformedPolicyError, type PolicyKind } from '../policy/types.js';
import { IamError, validationError } from './errors.js';
import type { Tag } from './types.js';

const NAME_RE = /^[\w+=,.@-]+$/;
const PATH_RE = /^(\/|\/[\u0021-\u007E]+\/)$/;
const TAG_RE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** MAX_TAGS is IAM's quota of tags per resource. */
export const MAX_TAGS = 50;

/** checkName validates an IAM entity name (user, role, group, policy) against IAM's pattern and length. */
export function checkName(value: string, member: string, max: number): void {
  if (value.length < 1 || value.length > max) throw validationError(value, member, `Member must have length between 1 and ${max}`);
  if (!NAME_RE.test(value)) throw validationError(value, member, 'Member must satisfy regular expression pattern: [\\w+=,.@-]+');
}

/** checkPath validates an IAM path: '/' or '/a/b/' with printable ASCII, at most 512 characters. */
export function checkPath(value: string, member = 'path'): void {
  if (value.length < 1 || value.length > 512) throw validationError(value, member, 'Member must have length between 1 and 512');
  if (!PATH_RE.test(value)) throw validationError(value, member, 'Member must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)');
}

/** checkDescription validates a role or policy description (at most 1000 characters). */
export function checkDescription(value: string, member = 'description'): void {
  if (value.length > 1000) throw validationError(value, member, 'Member must have length less than or equal to 1000');
}

/** checkTags validates a tag list: at most 50, key 1-128 and value 0-256 characters of IAM's tag alphabet, no aws: keys, no duplicate keys. */
export function checkTags(tags: readonly Tag[]): void {
  if (tags.length > MAX_TAGS) throw validationError(null, 'tags', `Member must have length less than or equal to ${MAX_TAGS}`);
  const seen = new Set<string>();
  for (const [i, t] of tags.entries()) {
    if (t.Key.length < 1 || t.Key.length > 128) throw validationError(t.Key, `tags.${i + 1}.member.key`, 'Member must have length between 1 and 128');
    if (!TAG_RE.test(t.Key)) throw validationError(t.Key, `tags.${i + 1}.member.key`, 'Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+');
    if (t.Value.length > 256) throw validationError(t.Value, `tags.${i + 1}.member.value`, 'Member must have length less than or equal to 256');
    if (!TAG_RE.test(t.Value)) throw validationError(t.Value, `tags.${i + 1}.member.value`, 'Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*');
    if (t.Key.toLowerCase().startsWith('aws:')) throw new IamError('InvalidInput', 'User is not authorized to perform tag operations on reserved tag keys starting with aws:');
    const k = t.Key.toLowerCase();
    if (seen.has(k)) throw new IamError('InvalidInput', 'Duplicate tag keys found. Please note that Tag keys are case insensitive.');
    seen.add(k);
  }
}

/** mergeTags adds or overwrites tags (keys compared ignoring case); LimitExceeded past 50 tags. */
export function mergeTags(existing: readonly Tag[], added: readonly Tag[]): Tag[] {
  checkTags(added);
  const out = existing.slice();
  for (const t of added) {
    const i = out.findIndex((e) => e.Key.toLowerCase() === t.Key.toLowerCase());
    if (i >= 0) out[i] = { Key: t.Key, Value: t.Value };
    else out.push({ Key: t.Key, Value: t.Value });
  }
  if (out.length > MAX_TAGS) throw new IamError('LimitExceeded', `The number of tags has reached the maximum limit of ${MAX_TAGS}.`);
  return out;
}

/** removeTags drops the tags with the given keys (ignoring case); absent keys are no error. */
export function removeTags(existing: readonly Tag[], keys: readonly string[]): Tag[] {
  const drop = new Set(keys.map((k) => k.toLowerCase()));
  return existing.filter((t) => !drop.has(t.Key.toLowerCase()));
}

/** checkPolicyDocument validates a policy document with parsePolicy, turning its errors into IAM's MalformedPolicyDocument or LimitExceeded. */
export function checkPolicyDocument(json: string, kind: PolicyKind, maxChars?: number): void {
  if (json.length < 1 || json.length > 131072) throw validationError(json.slice(0, 64), 'policyDocument', 'Member must have length between 1 and 131072');
  try {
    parsePolicy(json, kind, maxChars === undefined ? {} : { maxChars });
  } catch (e) {
    if (e instanceof MalformedPolicyError) throw new IamError(e.code, e.message);
    throw e;
  }
}

/** policySize counts a policy document's characters without white space, as IAM's size quotas do. */
export function policySize(json: string): number {
  let n = 0;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) n++;
  }
  return n;
}
