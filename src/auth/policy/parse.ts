import { parseOperator } from './operators.js';
import { MalformedPolicyError, type ConditionBlock, type PolicyDocument, type PolicyKind, type PrincipalBlock, type Statement } from './types.js';

/** POLICY_SIZE_LIMITS are AWS's quotas in characters, white space not counted. */
export const POLICY_SIZE_LIMITS = {
  managed: 6144,
  userInline: 2048,
  roleInline: 10240,
  groupInline: 5120,
  trust: 2048,
  resource: 20480,
} as const;

/** ParsePolicyOptions tune parsePolicy. */
export interface ParsePolicyOptions {
  /** maxChars is the size quota (non-white-space characters); default by kind: identity 6144 (managed), resource 20480, trust 2048. */
  maxChars?: number;
}

const VERSIONS = new Set(['2012-10-17', '2008-10-17']);
const TOP_KEYS = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_KEYS = new Set(['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition']);
const PRINCIPAL_KEYS = new Set(['AWS', 'Federated', 'Service', 'CanonicalUser']);
const ACTION_RE = /^[a-zA-Z0-9-]+:[a-zA-Z0-9*?_-]+$/;

function fail(where: string, message: string): never {
  throw new MalformedPolicyError(`${where}: ${message}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stringList(v: unknown, where: string): string[] {
  const list = Array.isArray(v) ? v : [v];
  if (list.length === 0) fail(where, 'must not be empty');
  return list.map((x, i) => {
    if (typeof x !== 'string') fail(Array.isArray(v) ? `${where}[${i}]` : where, 'must be a string');
    return x;
  });
}

function nonWhitespaceLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) n++;
  }
  return n;
}

function parseActions(v: unknown, where: string): string[] {
  const list = stringList(v, where);
  list.forEach((a, i) => {
    if (a !== '*' && !ACTION_RE.test(a)) fail(`${where}${list.length > 1 || Array.isArray(v) ? `[${i}]` : ''}`, `Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc. Got '${a}'`);
  });
  return list;
}

function parseResources(v: unknown, where: string): string[] {
  const list = stringList(v, where);
  list.forEach((r, i) => {
    if (r !== '*' && !(r.startsWith('arn:') && r.split(':').length >= 6)) {
      fail(`${where}${Array.isArray(v) ? `[${i}]` : ''}`, `Resource ${r} must be in ARN format or "*".`);
    }
  });
  return list;
}

function checkAwsPrincipal(p: string, where: string): void {
  if (p === '*' || /^\d{12}$/.test(p)) return;
  if (/^arn:[a-z-]+:(iam|sts)::(\d{12}|aws):.+$/.test(p) && !/[*?]/.test(p)) return;
  if (/^[A-Z0-9]{16,128}$/.test(p)) return; // unique id of a deleted principal, as IAM shows them
  fail(where, `Invalid principal in policy: "AWS":"${p}"`);
}

function parsePrincipal(v: unknown, where: string): PrincipalBlock {
  if (v === '*') return '*';
  if (!isObject(v)) fail(where, 'must be "*" or an object such as {"AWS": ...}');
  const out: Exclude<PrincipalBlock, '*'> = {};
  for (const k of Object.keys(v)) {
    if (!PRINCIPAL_KEYS.has(k)) fail(`${where}.${k}`, `unknown principal type (expected AWS, Federated, Service or CanonicalUser)`);
    const list = stringList(v[k], `${where}.${k}`);
    if (k === 'AWS') list.forEach((p, i) => checkAwsPrincipal(p, `${where}.AWS[${i}]`));
    out[k as keyof typeof out] = list;
  }
  if (Object.keys(out).length === 0) fail(where, 'must name at least one principal');
  return out;
}

function parseCondition(v: unknown, where: string): ConditionBlock {
  if (!isObject(v)) fail(where, 'must be an object of operators');
  const out: ConditionBlock = {};
  for (const op of Object.keys(v)) {
    if (!parseOperator(op)) fail(`${where}.${op}`, `Invalid Condition type : ${op}`);
    const keys = v[op];
    if (!isObject(keys)) fail(`${where}.${op}`, 'must be an object of condition keys');
    const block: Record<string, string[]> = {};
    for (const key of Object.keys(keys)) {
      if (!/^[^:\s]+:.+$/.test(key)) fail(`${where}.${op}.${key}`, 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.');
      const raw = keys[key];
      const list = Array.isArray(raw) ? raw : [raw];
      block[key] = list.map((x, i) => {
        if (typeof x === 'string') return x;
        if (typeof x === 'number' || typeof x === 'boolean') return String(x);
        return fail(`${where}.${op}.${key}${Array.isArray(raw) ? `[${i}]` : ''}`, 'condition values must be strings, numbers or booleans');
      });
    }
    out[op] = block;
  }
  return out;
}

function parseStatement(v: unknown, where: string, kind: PolicyKind): Statement {
  if (!isObject(v)) fail(where, 'must be an object');
  for (const k of Object.keys(v)) if (!STATEMENT_KEYS.has(k)) fail(`${where}.${k}`, `unknown element '${k}'`);
  const st: Statement = { Effect: 'Allow' };
  if (v['Sid'] !== undefined) {
    if (typeof v['Sid'] !== 'string') fail(`${where}.Sid`, 'must be a string');
    if (kind === 'identity' && !/^[A-Za-z0-9]*$/.test(v['Sid'])) fail(`${where}.Sid`, 'Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*');
    st.Sid = v['Sid'];
  }
  if (v['Effect'] !== 'Allow' && v['Effect'] !== 'Deny') fail(`${where}.Effect`, `must be "Allow" or "Deny", got ${JSON.stringify(v['Effect'] ?? null)}`);
  st.Effect = v['Effect'];
  if (v['Action'] !== undefined && v['NotAction'] !== undefined) fail(where, 'a statement cannot have both Action and NotAction');
  if (v['Action'] === undefined && v['NotAction'] === undefined) fail(where, 'Policy statement must contain actions.');
  if (v['Action'] !== undefined) st.Action = parseActions(v['Action'], `${where}.Action`);
  else st.NotAction = parseActions(v['NotAction'], `${where}.NotAction`);
  const hasResource = v['Resource'] !== undefined || v['NotResource'] !== undefined;
  if (v['Resource'] !== undefined && v['NotResource'] !== undefined) fail(where, 'a statement cannot have both Resource and NotResource');
  if (kind === 'trust' && hasResource) fail(`${where}.${v['Resource'] !== undefined ? 'Resource' : 'NotResource'}`, 'Has prohibited field Resource (trust policies have none)');
  if (kind !== 'trust' && !hasResource) fail(where, 'Policy statement must contain resources.');
  if (v['Resource'] !== undefined) st.Resource = parseResources(v['Resource'], `${where}.Resource`);
  if (v['NotResource'] !== undefined) st.NotResource = parseResources(v['NotResource'], `${where}.NotResource`);
  const hasPrincipal = v['Principal'] !== undefined || v['NotPrincipal'] !== undefined;
  if (v['Principal'] !== undefined && v['NotPrincipal'] !== undefined) fail(where, 'a statement cannot have both Principal and NotPrincipal');
  if (kind === 'identity' && hasPrincipal) fail(`${where}.${v['Principal'] !== undefined ? 'Principal' : 'NotPrincipal'}`, 'Policy document should not specify a principal.');
  if (kind !== 'identity' && !hasPrincipal) fail(where, 'Missing required field Principal');
  if (v['Principal'] !== undefined) st.Principal = parsePrincipal(v['Principal'], `${where}.Principal`);
  if (v['NotPrincipal'] !== undefined) st.NotPrincipal = parsePrincipal(v['NotPrincipal'], `${where}.NotPrincipal`);
  if (v['Condition'] !== undefined) st.Condition = parseCondition(v['Condition'], `${where}.Condition`);
  return st;
}

/** parsePolicy parses and validates an IAM policy document of the given kind; throws MalformedPolicyError saying where. */
export function parsePolicy(json: string, kind: PolicyKind, options: ParsePolicyOptions = {}): PolicyDocument {
  const limit = options.maxChars ?? (kind === 'trust' ? POLICY_SIZE_LIMITS.trust : kind === 'resource' ? POLICY_SIZE_LIMITS.resource : POLICY_SIZE_LIMITS.managed);
  const size = nonWhitespaceLength(json);
  if (size > limit) throw new MalformedPolicyError(`Cannot exceed quota for PolicySize: ${limit} (policy has ${size} characters without white space)`, 'LimitExceeded');
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (e) {
    throw new MalformedPolicyError(`Syntax errors in policy: ${(e as Error).message}`);
  }
  return validatePolicy(raw, kind);
}

/** validatePolicy validates an already-decoded JSON value as an IAM policy of the given kind. */
export function validatePolicy(raw: unknown, kind: PolicyKind): PolicyDocument {
  if (!isObject(raw)) fail('Policy', 'must be a JSON object');
  for (const k of Object.keys(raw)) if (!TOP_KEYS.has(k)) fail(k, `unknown element '${k}'`);
  const doc: PolicyDocument = { Statement: [] };
  if (raw['Version'] !== undefined) {
    if (typeof raw['Version'] !== 'string' || !VERSIONS.has(raw['Version'])) fail('Version', `The policy must contain a valid version string ("2012-10-17" or "2008-10-17"), got ${JSON.stringify(raw['Version'])}`);
    doc.Version = raw['Version'];
  }
  if (raw['Id'] !== undefined) {
    if (typeof raw['Id'] !== 'string') fail('Id', 'must be a string');
    doc.Id = raw['Id'];
  }
  if (raw['Statement'] === undefined) fail('Statement', 'Missing required field Statement');
  const list = Array.isArray(raw['Statement']) ? raw['Statement'] : [raw['Statement']];
  const sids = new Set<string>();
  list.forEach((s, i) => {
    const st = parseStatement(s, Array.isArray(raw['Statement']) ? `Statement[${i}]` : 'Statement', kind);
    if (st.Sid !== undefined && st.Sid !== '') {
      if (sids.has(st.Sid)) fail(`Statement[${i}].Sid`, 'Statement IDs (SID) in a single policy must be unique.');
      sids.add(st.Sid);
    }
    doc.Statement.push(st);
  });
  return doc;
}
