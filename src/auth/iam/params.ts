import { IamError, validationError } from '../store/errors.js';
import type { Tag } from '../store/types.js';

function member(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/** parseQueryProtocol merges a query string and a form-encoded body (body wins) into the parameters of an AWS query-protocol request. */
export function parseQueryProtocol(body: Buffer | string | undefined, rawQuery: string): URLSearchParams {
  const out = new URLSearchParams(rawQuery);
  const text = typeof body === 'string' ? body : body ? body.toString('utf8') : '';
  for (const [k, v] of new URLSearchParams(text)) out.set(k, v);
  return out;
}

/** QueryParams reads typed IAM parameters (scalars, member lists, tags) and reports IAM validation errors. */
export class QueryParams {
  constructor(private readonly p: URLSearchParams) {}

  /** optional returns a parameter or undefined. */
  optional(name: string): string | undefined {
    const v = this.p.get(name);
    return v === null ? undefined : v;
  }

  /** required returns a parameter or throws IAM's "must not be null" ValidationError. */
  required(name: string): string {
    const v = this.p.get(name);
    if (v === null) throw validationError(null, member(name), 'Member must not be null');
    return v;
  }

  /** int returns an integer parameter in [min, max], or undefined when absent. */
  int(name: string, min: number, max: number): number | undefined {
    const v = this.optional(name);
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!/^-?\d+$/.test(v.trim()) || !Number.isSafeInteger(n)) throw validationError(v, member(name), 'Member must be an integer');
    if (n < min || n > max) throw validationError(v, member(name), `Member must have value ${min === max ? `equal to ${min}` : `between ${min} and ${max}`}`);
    return n;
  }

  /** bool returns a boolean parameter ('true'/'false'), or undefined when absent. */
  bool(name: string): boolean | undefined {
    const v = this.optional(name);
    if (v === undefined) return undefined;
    if (v === 'true') return true;
    if (v === 'false') return false;
    throw validationError(v, member(name), 'Member must be a boolean (true or false)');
  }

  /** members returns a list parameter: Name.member.1, Name.member.2, ... in order. */
  members(name: string): string[] | undefined {
    if (this.p.get(name) === '') return [];
    const out: string[] = [];
    for (let i = 1; ; i++) {
      const v = this.p.get(`${name}.member.${i}`);
      if (v === null) break;
      out.push(v);
    }
    return out.length === 0 && !this.hasPrefix(`${name}.member.`) ? undefined : out;
  }

  /** tags returns Tags.member.N.Key / .Value pairs (default list name 'Tags'). */
  tags(name = 'Tags'): Tag[] {
    const out: Tag[] = [];
    for (let i = 1; ; i++) {
      const key = this.p.get(`${name}.member.${i}.Key`);
      const value = this.p.get(`${name}.member.${i}.Value`);
      if (key === null && value === null) break;
      if (key === null) throw validationError(null, `tags.${i}.member.key`, 'Member must not be null');
      if (value === null) throw validationError(null, `tags.${i}.member.value`, 'Member must not be null');
      out.push({ Key: key, Value: value });
    }
    return out;
  }

  /** unsupported rejects a parameter Amphora does not implement, instead of silently ignoring it. */
  unsupported(name: string, why: string): void {
    if (this.p.get(name) !== null) throw new IamError('InvalidInput', `${name} is not supported by Amphora: ${why}`);
  }

  private hasPrefix(prefix: string): boolean {
    for (const k of this.p.keys()) if (k.startsWith(prefix)) return true;
    return false;
  }
}
