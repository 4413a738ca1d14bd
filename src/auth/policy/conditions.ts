import { arnMatch, globMatch } from './match.js';
import { cidrContains, parseCidr, parseIp } from './ip.js';
import { NEGATED, parseOperator, type BaseOperator } from './operators.js';
import type { ConditionBlock, ConditionValue } from './types.js';
import { expandLiteral, type VarLookup } from './variables.js';

/** ContextLookup returns a condition key's value by case-insensitive name. */
export type ContextLookup = (key: string) => ConditionValue;

function toDateMs(v: string | number | boolean, fromPolicy: boolean): number {
  if (typeof v === 'number') return fromPolicy ? v * 1000 : v;
  if (typeof v === 'boolean') return NaN;
  if (/^-?\d+(\.\d+)?$/.test(v)) return fromPolicy ? Number(v) * 1000 : Number(v);
  return Date.parse(v);
}

function toNumber(v: string | number | boolean): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean' || v.trim() === '') return NaN;
  return Number(v);
}

function str(v: string | number | boolean): string {
  return typeof v === 'string' ? v : String(v);
}

/** compareOne applies a positive base operator to one context value and one policy value. */
function compareOne(op: BaseOperator, c: string | number | boolean, p: string, vars: VarLookup | null): boolean {
  switch (op) {
    case 'StringEquals': {
      const e = expandLiteral(p, vars);
      return e !== null && str(c) === e;
    }
    case 'StringEqualsIgnoreCase': {
      const e = expandLiteral(p, vars);
      return e !== null && str(c).toLowerCase() === e.toLowerCase();
    }
    case 'StringLike':
      return globMatch(p, str(c), false, vars);
    case 'ArnEquals':
    case 'ArnLike':
      return arnMatch(p, str(c), vars);
    case 'NumericEquals':
      return toNumber(c) === toNumber(p);
    case 'NumericLessThan':
      return toNumber(c) < toNumber(p);
    case 'NumericLessThanEquals':
      return toNumber(c) <= toNumber(p);
    case 'NumericGreaterThan':
      return toNumber(c) > toNumber(p);
    case 'NumericGreaterThanEquals':
      return toNumber(c) >= toNumber(p);
    case 'DateEquals':
      return toDateMs(c, false) === toDateMs(p, true);
    case 'DateLessThan':
      return toDateMs(c, false) < toDateMs(p, true);
    case 'DateLessThanEquals':
      return toDateMs(c, false) <= toDateMs(p, true);
    case 'DateGreaterThan':
      return toDateMs(c, false) > toDateMs(p, true);
    case 'DateGreaterThanEquals':
      return toDateMs(c, false) >= toDateMs(p, true);
    case 'Bool':
      return str(c).toLowerCase() === p.toLowerCase();
    case 'BinaryEquals':
      return str(c) === p;
    case 'IpAddress': {
      const ip = parseIp(str(c));
      const net = parseCidr(p);
      return ip !== null && net !== null && cidrContains(net, ip);
    }
    case 'StringNotEquals':
    case 'StringNotEqualsIgnoreCase':
    case 'StringNotLike':
    case 'NumericNotEquals':
    case 'DateNotEquals':
    case 'NotIpAddress':
    case 'ArnNotEquals':
    case 'ArnNotLike':
    case 'Null':
      throw new Error(`compareOne: ${op} is not a positive operator`);
    default:
      return assertNever(op);
  }
}

function assertNever(x: never): never {
  throw new Error(`unhandled condition operator ${String(x)}`);
}

/** valueMatches applies a (possibly negated) base operator to one context value against the policy values (OR-ed). */
function valueMatches(op: BaseOperator, c: string | number | boolean, values: readonly string[], vars: VarLookup | null): boolean {
  const positive = NEGATED[op];
  if (positive) {
    for (const p of values) if (compareOne(positive, c, p, vars)) return false;
    return true;
  }
  for (const p of values) if (compareOne(op, c, p, vars)) return true;
  return false;
}

/**
 * evaluateOperator evaluates one operator entry for one key. Single-valued form: a missing key is
 * false, except for negated operators and ...IfExists, which are true; a multi-valued context value
 * matches when any of its values does (negated: when none does). ForAnyValue: at least one context
 * value matches (false when missing). ForAllValues: every context value matches (true when missing or empty).
 */
export function evaluateOperator(operator: string, key: string, values: readonly string[], ctx: ContextLookup, vars: VarLookup | null): boolean {
  const op = parseOperator(operator);
  if (!op) return false; // validated at parse time; an unknown operator never matches
  const raw = ctx(key);
  const missing = raw === undefined || (Array.isArray(raw) && raw.length === 0);
  if (op.base === 'Null') {
    const want = values.some((v) => v.toLowerCase() === 'true');
    const wantFalse = values.some((v) => v.toLowerCase() === 'false');
    return (want && missing) || (wantFalse && !missing);
  }
  const list: readonly (string | number | boolean)[] = missing ? [] : Array.isArray(raw) ? raw : [raw as string | number | boolean];
  if (op.set === 'ForAllValues') {
    for (const c of list) if (!valueMatches(op.base, c, values, vars)) return false;
    return true;
  }
  if (op.set === 'ForAnyValue') {
    if (missing) return op.ifExists;
    for (const c of list) if (valueMatches(op.base, c, values, vars)) return true;
    return false;
  }
  if (missing) return op.ifExists || NEGATED[op.base] !== undefined;
  const positive = NEGATED[op.base];
  if (positive) {
    for (const c of list) if (valueMatches(positive, c, values, vars)) return false;
    return true;
  }
  for (const c of list) if (valueMatches(op.base, c, values, vars)) return true;
  return false;
}

/** evaluateConditions is true when every operator and every key in the block holds (AND), each key matching any of its values (OR). */
export function evaluateConditions(block: ConditionBlock | undefined, ctx: ContextLookup, vars: VarLookup | null): boolean {
  if (!block) return true;
  for (const operator of Object.keys(block)) {
    const keys = block[operator]!;
    for (const key of Object.keys(keys)) if (!evaluateOperator(operator, key, keys[key]!, ctx, vars)) return false;
  }
  return true;
}
