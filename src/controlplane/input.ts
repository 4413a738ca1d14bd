import { z, type ZodType, type ZodTypeDef } from 'zod';
import { AmpError, validationError, type ValidationField } from './errors.js';

/** TAG_KEY_RE and TAG_VALUE_RE are AMP's TagKey/TagValue patterns. */
const TAG_RE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** tagKeySchema validates a tag key as AWS does (1-128 chars, allowed characters, no aws: prefix). */
export const tagKeySchema = z
  .string()
  .min(1)
  .max(128)
  .regex(TAG_RE, 'must match [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*')
  .refine((k) => !k.toLowerCase().startsWith('aws:'), 'must not begin with aws:');

/** tagMapSchema validates a tag map (at most 50 tags, values 0-256 chars). */
export const tagMapSchema = z
  .record(tagKeySchema, z.string().max(256).regex(TAG_RE, 'must match [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*'))
  .refine((m) => Object.keys(m).length <= 50, 'must have at most 50 tags');

/** aliasSchema is AMP's WorkspaceAlias (1-100 characters). */
export const aliasSchema = z.string().min(1).max(100);

/** clientTokenSchema is AMP's IdempotencyToken. */
export const clientTokenSchema = z.string().min(1).max(64).regex(/^[!-~]+$/, 'must be printable ASCII');

/** kmsKeyArnSchema is AMP's KmsKeyArn. */
export const kmsKeyArnSchema = z
  .string()
  .min(20)
  .max(2048)
  .regex(/^arn:aws[-a-z]*:kms:[-a-z0-9]+:[0-9]{12}:key\/[-a-f0-9]+$/, 'must be a KMS key ARN');

/** logGroupArnSchema is AMP's LogGroupArn (a CloudWatch log group ARN ending in :*). */
export const logGroupArnSchema = z
  .string()
  .regex(/^arn:aws[a-z0-9-]*:logs:[a-z0-9-]+:[0-9]{12}:log-group:[A-Za-z0-9.\-_#/]{1,512}:\*$/, 'must be a CloudWatch Logs log group ARN ending in :*');

/** workspaceIdSchema is AMP's WorkspaceId. */
export const workspaceIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[0-9A-Za-z][-.0-9A-Z_a-z]*$/, 'must be a workspace id');

/** retentionSchema is retentionPeriodInDays (1-1095). */
export const retentionSchema = z.number().int().min(1).max(1095);

function fieldName(path: readonly (string | number)[], key?: string): string {
  const parts = key === undefined ? [...path] : [...path, key];
  if (parts.length === 0) return 'body';
  return parts.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/** zodFields converts zod issues into AMP fieldList entries. */
export function zodFields(error: z.ZodError, prefix: readonly (string | number)[] = []): ValidationField[] {
  const out: ValidationField[] = [];
  for (const issue of error.issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      for (const k of issue.keys) out.push({ name: fieldName(path, k), message: 'unknown field' });
    } else if (issue.code === 'invalid_union') {
      out.push({ name: fieldName(path), message: 'invalid value' });
    } else {
      out.push({ name: fieldName(path), message: issue.message });
    }
  }
  return out;
}

/** parseJsonBody decodes a restJson1 request body (empty = {}) and validates it; throws ValidationException naming the fields. */
export function parseJsonBody<T>(body: unknown, schema: ZodType<T, ZodTypeDef, unknown>): T {
  let raw: unknown = {};
  if (Buffer.isBuffer(body) && body.length > 0) {
    try {
      raw = JSON.parse(body.toString('utf8'));
    } catch (e) {
      throw new AmpError({ kind: 'ValidationException', reason: 'CANNOT_PARSE', message: `Could not parse request body: ${(e as Error).message}` });
    }
  } else if (body !== undefined && body !== null && !Buffer.isBuffer(body)) {
    raw = body;
  }
  return check(raw, schema);
}

/** check validates a value against a schema; throws ValidationException naming the fields. */
export function check<T>(raw: unknown, schema: ZodType<T, ZodTypeDef, unknown>, prefix: readonly (string | number)[] = []): T {
  const r = schema.safeParse(raw);
  if (!r.success) throw validationError(zodFields(r.error, prefix));
  return r.data;
}

/** queryInt parses an integer query parameter, throwing ValidationException naming it. */
export function queryInt(value: unknown, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const s = Array.isArray(value) ? value[value.length - 1] : value;
  if (typeof s !== 'string' || !/^-?\d+$/.test(s)) throw validationError([{ name, message: 'must be an integer' }]);
  const n = Number(s);
  if (n < min || n > max) throw validationError([{ name, message: `must be between ${min} and ${max}` }]);
  return n;
}

/** queryString returns a single-valued string query parameter. */
export function queryString(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const s = Array.isArray(value) ? value[value.length - 1] : value;
  return typeof s === 'string' ? s : undefined;
}

/** queryList returns a repeated query parameter as a list. */
export function queryList(value: unknown): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
}
