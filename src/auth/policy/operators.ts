/** BaseOperator is a condition operator without set prefix or IfExists suffix. */
export type BaseOperator =
  | 'StringEquals' | 'StringNotEquals' | 'StringEqualsIgnoreCase' | 'StringNotEqualsIgnoreCase' | 'StringLike' | 'StringNotLike'
  | 'NumericEquals' | 'NumericNotEquals' | 'NumericLessThan' | 'NumericLessThanEquals' | 'NumericGreaterThan' | 'NumericGreaterThanEquals'
  | 'DateEquals' | 'DateNotEquals' | 'DateLessThan' | 'DateLessThanEquals' | 'DateGreaterThan' | 'DateGreaterThanEquals'
  | 'Bool' | 'BinaryEquals' | 'IpAddress' | 'NotIpAddress' | 'ArnEquals' | 'ArnLike' | 'ArnNotEquals' | 'ArnNotLike' | 'Null';

/** BASE_OPERATORS lists every condition operator IAM accepts. */
export const BASE_OPERATORS: readonly BaseOperator[] = [
  'StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike',
  'NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals',
  'DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals',
  'Bool', 'BinaryEquals', 'IpAddress', 'NotIpAddress', 'ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike', 'Null',
];

/** NEGATED maps each negated operator to the positive one it inverts per value. */
export const NEGATED: Partial<Record<BaseOperator, BaseOperator>> = {
  StringNotEquals: 'StringEquals',
  StringNotEqualsIgnoreCase: 'StringEqualsIgnoreCase',
  StringNotLike: 'StringLike',
  NumericNotEquals: 'NumericEquals',
  DateNotEquals: 'DateEquals',
  NotIpAddress: 'IpAddress',
  ArnNotEquals: 'ArnEquals',
  ArnNotLike: 'ArnLike',
};

/** ParsedOperator is an operator split into its set qualifier, base and IfExists flag. */
export interface ParsedOperator {
  set: 'single' | 'ForAnyValue' | 'ForAllValues';
  base: BaseOperator;
  ifExists: boolean;
}

const BY_LOWER = new Map(BASE_OPERATORS.map((o) => [o.toLowerCase(), o]));

/** parseOperator parses 'ForAllValues:StringLikeIfExists' and friends; null when unknown. */
export function parseOperator(name: string): ParsedOperator | null {
  let rest = name;
  let set: ParsedOperator['set'] = 'single';
  const colon = rest.indexOf(':');
  if (colon >= 0) {
    const q = rest.slice(0, colon).toLowerCase();
    if (q === 'foranyvalue') set = 'ForAnyValue';
    else if (q === 'forallvalues') set = 'ForAllValues';
    else return null;
    rest = rest.slice(colon + 1);
  }
  let ifExists = false;
  if (rest.toLowerCase().endsWith('ifexists')) {
    ifExists = true;
    rest = rest.slice(0, -'IfExists'.length);
  }
  const base = BY_LOWER.get(rest.toLowerCase());
  if (!base || (base === 'Null' && (ifExists || set !== 'single'))) return null;
  return { set, base, ifExists };
}
