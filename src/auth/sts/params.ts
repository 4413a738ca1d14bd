import { StsError, validationError } from './errors.js';

/** requireParam returns a required parameter or throws STS's ValidationError naming its camelCase field. */
export function requireParam(params: URLSearchParams, name: string): string {
  const v = params.get(name);
  if (v === null || v === '') throw validationError(null, name[0]!.toLowerCase() + name.slice(1), 'Member must not be null');
  return v;
}

/** sessionName validates RoleSessionName: 2-64 characters of [\w+=,.@-]. */
export function sessionName(params: URLSearchParams): string {
  const v = requireParam(params, 'RoleSessionName');
  if (v.length < 2) throw validationError(v, 'roleSessionName', 'Member must have length greater than or equal to 2');
  if (v.length > 64) throw validationError(v, 'roleSessionName', 'Member must have length less than or equal to 64');
  if (!/^[\w+=,.@-]*$/.test(v)) throw validationError(v, 'roleSessionName', 'Member must satisfy regular expression pattern: [\\w+=,.@-]*');
  return v;
}

/** durationSeconds reads DurationSeconds within [min, max] (default def). */
export function durationSeconds(params: URLSearchParams, def: number, min: number, max: number, tooLong?: string): number {
  const raw = params.get('DurationSeconds');
  if (raw === null || raw === '') return Math.min(def, max);
  if (!/^\d+$/.test(raw)) throw new StsError('ValidationError', `Value '${raw}' at 'durationSeconds' failed to satisfy constraint: Member must be an integer`);
  const n = Number(raw);
  if (n < min) throw validationError(raw, 'durationSeconds', `Member must have value greater than or equal to ${min}`);
  if (n > max) throw tooLong ? new StsError('ValidationError', tooLong) : validationError(raw, 'durationSeconds', `Member must have value less than or equal to ${max}`);
  return n;
}

/** sessionTags reads Tags.member.N.Key / .Value (at most 50). */
export function sessionTags(params: URLSearchParams): Record<string, string> {
  const tags: Record<string, string> = {};
  for (let i = 1; ; i++) {
    const k = params.get(`Tags.member.${i}.Key`);
    if (k === null) break;
    if (i > 50) throw validationError(null, 'tags', 'Member must have length less than or equal to 50');
    if (k === '' || k.length > 128) throw validationError(k, `tags.${i}.member.key`, 'Member must have length between 1 and 128');
    const lower = k.toLowerCase();
    if (Object.keys(tags).some((t) => t.toLowerCase() === lower)) throw new StsError('InvalidParameterValue', `Duplicate tag keys found. Please note that Tag keys are case insensitive.`);
    tags[k] = params.get(`Tags.member.${i}.Value`) ?? '';
  }
  return tags;
}

/** rejectSessionPolicies refuses session policies, which this build does not apply (it would silently widen the session otherwise). */
export function rejectSessionPolicies(params: URLSearchParams): void {
  if (params.get('Policy') !== null || params.get('PolicyArns.member.1.arn') !== null) {
    throw new StsError('ValidationError', 'Session policies (Policy, PolicyArns) are not supported by Amphora yet; attach the permissions to the role instead');
  }
}
