import type { KubeObject } from './objects.js';

/** Selector is one parsed requirement of a Kubernetes label or field selector. */
type Requirement = { key: string; op: '=' | '!=' | 'in' | 'notin' | 'exists' | '!exists'; values: string[] };

/** SelectorError says a selector does not parse. */
export class SelectorError extends Error {
  override name = 'SelectorError';
}

/** parseSelector parses a label selector (`a=b,c!=d,e in (x,y),f notin (z),g,!h`); throws SelectorError. */
export function parseSelector(text: string): Requirement[] {
  const out: Requirement[] = [];
  const parts = text.match(/(?:[^,(]+(?:\([^)]*\))?)+/g) ?? [];
  for (const raw of parts) {
    const p = raw.trim();
    if (p === '') continue;
    let m: RegExpExecArray | null;
    if ((m = /^([^\s!=]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(p))) out.push({ key: m[1]!, op: m[2] as 'in' | 'notin', values: m[3]!.split(',').map((s) => s.trim()) });
    else if ((m = /^([^\s!=]+)\s*!=\s*(\S*)$/.exec(p))) out.push({ key: m[1]!, op: '!=', values: [m[2]!] });
    else if ((m = /^([^\s!=]+)\s*==?\s*(\S*)$/.exec(p))) out.push({ key: m[1]!, op: '=', values: [m[2]!] });
    else if ((m = /^!([^\s!=]+)$/.exec(p))) out.push({ key: m[1]!, op: '!exists', values: [] });
    else if ((m = /^([^\s!=()]+)$/.exec(p))) out.push({ key: m[1]!, op: 'exists', values: [] });
    else throw new SelectorError(`cannot parse selector requirement ${JSON.stringify(p)}`);
  }
  return out;
}

function matches(reqs: readonly Requirement[], get: (key: string) => string | undefined): boolean {
  return reqs.every((r) => {
    const v = get(r.key);
    switch (r.op) {
      case '=':
        return v === r.values[0];
      case '!=':
        return v !== r.values[0];
      case 'in':
        return v !== undefined && r.values.includes(v);
      case 'notin':
        return v === undefined || !r.values.includes(v);
      case 'exists':
        return v !== undefined;
      case '!exists':
        return v === undefined;
      default: {
        const never: never = r.op;
        throw new Error(`unknown selector op ${String(never)}`);
      }
    }
  });
}

/** matchesLabelSelector tells whether an object's labels satisfy a label selector ('' matches all). */
export function matchesLabelSelector(o: KubeObject, selector: string): boolean {
  return selector === '' || matches(parseSelector(selector), (k) => o.metadata?.labels?.[k]);
}

/** matchesFieldSelector tells whether an object satisfies a field selector over metadata.name, metadata.namespace and dotted fields ('' matches all). */
export function matchesFieldSelector(o: KubeObject, selector: string): boolean {
  return (
    selector === '' ||
    matches(parseSelector(selector), (k) => {
      let cur: unknown = o;
      for (const part of k.split('.')) cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[part] : undefined;
      return cur === undefined || cur === null ? undefined : String(cur);
    })
  );
}
