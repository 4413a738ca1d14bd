/** PolicyProblem is one validation finding in a policy document, with where it is. */
export interface PolicyProblem {
  readonly path: string;
  readonly message: string;
}

const STATEMENT_KEYS = new Set(['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Principal', 'NotPrincipal', 'Condition']);

/**
 * validatePolicyDocument checks an IAM policy document as the editor is typed in: JSON syntax, Version,
 * Statement, and each statement's Effect, Action/NotAction, Resource/NotResource (or Principal for trust
 * policies) and unknown keys. The server validates again; this only gives early feedback.
 */
export function validatePolicyDocument(source: string, kind: 'identity' | 'trust' = 'identity'): PolicyProblem[] {
  let doc: unknown;
  try {
    doc = JSON.parse(source);
  } catch (e) {
    return [{ path: '', message: `not JSON: ${(e as Error).message}` }];
  }
  if (!isObject(doc)) return [{ path: '', message: 'a policy is a JSON object' }];
  const problems: PolicyProblem[] = [];
  if (doc['Version'] !== undefined && doc['Version'] !== '2012-10-17' && doc['Version'] !== '2008-10-17') problems.push({ path: 'Version', message: 'Version must be "2012-10-17" (or "2008-10-17")' });
  const st = doc['Statement'];
  if (st === undefined) return [...problems, { path: 'Statement', message: 'Statement is required' }];
  const list = Array.isArray(st) ? st : [st];
  if (list.length === 0) problems.push({ path: 'Statement', message: 'Statement must not be empty' });
  list.forEach((s: unknown, i) => {
    const at = `Statement[${i}]`;
    if (!isObject(s)) return problems.push({ path: at, message: 'a statement is an object' });
    for (const k of Object.keys(s)) if (!STATEMENT_KEYS.has(k)) problems.push({ path: `${at}.${k}`, message: `unknown statement key ${k}` });
    if (s['Effect'] !== 'Allow' && s['Effect'] !== 'Deny') problems.push({ path: `${at}.Effect`, message: 'Effect must be "Allow" or "Deny"' });
    if ((s['Action'] === undefined) === (s['NotAction'] === undefined)) problems.push({ path: at, message: 'exactly one of Action or NotAction is required' });
    for (const k of ['Action', 'NotAction', 'Resource', 'NotResource']) if (s[k] !== undefined && !isStringOrStrings(s[k])) problems.push({ path: `${at}.${k}`, message: `${k} must be a string or a list of strings` });
    if (kind === 'identity') {
      if ((s['Resource'] === undefined) === (s['NotResource'] === undefined)) problems.push({ path: at, message: 'exactly one of Resource or NotResource is required' });
      if (s['Principal'] !== undefined) problems.push({ path: `${at}.Principal`, message: 'an identity policy has no Principal' });
    } else if (s['Principal'] === undefined && s['NotPrincipal'] === undefined) problems.push({ path: at, message: 'a trust policy statement needs a Principal' });
    if (s['Condition'] !== undefined && !isObject(s['Condition'])) problems.push({ path: `${at}.Condition`, message: 'Condition must be an object' });
    return undefined;
  });
  return problems;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isStringOrStrings(v: unknown): boolean {
  return typeof v === 'string' || (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string'));
}
