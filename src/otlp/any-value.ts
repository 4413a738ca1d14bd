import { formatDouble } from './model.js';

/** AnyRaw is a decoded OTLP AnyValue before it is rendered: arrays and key-value lists stay structured. */
export type AnyRaw = string | boolean | number | { readonly int: string } | Uint8Array | AnyRaw[] | { readonly kv: [string, AnyRaw][] } | null;

/** anyAsString renders an AnyValue as pcommon.Value.AsString: strings as they are, ints in decimal, doubles as ECMAScript does, bytes in base64, arrays and maps as JSON. */
export function anyAsString(v: AnyRaw): string {
  if (v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return formatDouble(v);
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.length).toString('base64');
  if (Array.isArray(v) || 'kv' in v) return toJson(v);
  return v.int;
}

function toJson(v: AnyRaw): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'null';
  if (v instanceof Uint8Array) return JSON.stringify(Buffer.from(v.buffer, v.byteOffset, v.length).toString('base64'));
  if (Array.isArray(v)) return `[${v.map(toJson).join(',')}]`;
  if ('kv' in v) {
    const entries = [...v.kv].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${toJson(x)}`).join(',')}}`;
  }
  return v.int;
}
