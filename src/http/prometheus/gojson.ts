import type { Labels } from '../../model/labels.js';
import { jsonFloat } from './gofloat.js';

const HEX = '0123456789abcdef';

/**
 * jsonString quotes a string as Go's encoding/json (and jsoniter's standard-library mode) do:
 * HTML characters, U+2028/U+2029 and control characters escaped as \u00XX (\n \r \t short),
 * lone surrogates (invalid UTF-8 in Go) replaced by U+FFFD.
 */
export function jsonString(s: string): string {
  let out = '"';
  let last = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let esc: string | null = null;
    if (c < 0x20 || c === 0x22 || c === 0x5c || c === 0x3c || c === 0x3e || c === 0x26 || c === 0x2028 || c === 0x2029) {
      if (c === 0x22) esc = '\\"';
      else if (c === 0x5c) esc = '\\\\';
      else if (c === 0x0a) esc = '\\n';
      else if (c === 0x0d) esc = '\\r';
      else if (c === 0x09) esc = '\\t';
      else esc = `\\u${HEX[(c >> 12) & 15]}${HEX[(c >> 8) & 15]}${HEX[(c >> 4) & 15]}${HEX[c & 15]}`;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const next = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      esc = '\\ufffd';
    }
    if (esc !== null) {
      out += s.slice(last, i) + esc;
      last = i + 1;
    }
  }
  return `${out}${s.slice(last)}"`;
}

/** labelsJSON writes a label set as Prometheus does: an object with keys in sorted order. */
export function labelsJSON(labels: Labels): string {
  let out = '{';
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i]!;
    if (i > 0) out += ',';
    out += `${jsonString(l.name)}:${jsonString(l.value)}`;
  }
  return `${out}}`;
}

/** stringArrayJSON writes a string array. */
export function stringArrayJSON(xs: readonly string[]): string {
  let out = '[';
  for (let i = 0; i < xs.length; i++) out += (i > 0 ? ',' : '') + jsonString(xs[i]!);
  return `${out}]`;
}

/** RawJSON is pre-rendered JSON text that toJSON embeds verbatim. */
export class RawJSON {
  constructor(readonly text: string) {}
}

/** toJSON renders plain data (objects keep their key order, like Go structs) with Go's string escaping; RawJSON is embedded as is. */
export function toJSON(v: unknown): string {
  if (v instanceof RawJSON) return v.text;
  if (v === null || v === undefined) return 'null';
  switch (typeof v) {
    case 'string':
      return jsonString(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(v)) throw new Error(`json: unsupported value: ${v}`);
      return jsonFloat(v);
    case 'object': {
      if (Array.isArray(v)) return `[${v.map(toJSON).join(',')}]`;
      const parts: string[] = [];
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        if (x === undefined) continue;
        parts.push(`${jsonString(k)}:${toJSON(x)}`);
      }
      return `{${parts.join(',')}}`;
    }
    default:
      throw new Error(`json: unsupported type ${typeof v}`);
  }
}
