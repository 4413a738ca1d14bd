import { isIPv4, isIPv6 } from 'node:net';

/** ParsedIp is an address as a number with its family; IPv4-mapped IPv6 addresses are IPv4. */
export interface ParsedIp {
  v6: boolean;
  value: bigint;
}

function v4ToBig(s: string): bigint {
  let n = 0n;
  for (const part of s.split('.')) n = (n << 8n) | BigInt(Number(part));
  return n;
}

/** parseIp parses an IPv4 or IPv6 address (zone ids dropped); null when invalid. */
export function parseIp(input: string): ParsedIp | null {
  const s = input.trim().replace(/%.*$/, '');
  if (isIPv4(s)) return { v6: false, value: v4ToBig(s) };
  if (!isIPv6(s)) return null;
  let head = s;
  let tailV4: bigint | null = null;
  const lastColon = s.lastIndexOf(':');
  if (s.indexOf('.', lastColon) > 0) {
    tailV4 = v4ToBig(s.slice(lastColon + 1));
    head = s.slice(0, lastColon + 1) + '0:0';
  }
  const [l, r] = head.includes('::') ? head.split('::') as [string, string] : [head, undefined];
  const left = l === '' ? [] : l.split(':');
  const right = r === undefined || r === '' ? [] : r.split(':');
  const groups = r === undefined ? left : [...left, ...new Array<string>(8 - left.length - right.length).fill('0'), ...right];
  let n = 0n;
  for (const g of groups) n = (n << 16n) | BigInt(parseInt(g, 16));
  if (tailV4 !== null) n = (n & ~0xffffffffn) | tailV4;
  if (n >> 32n === 0xffffn) return { v6: false, value: n & 0xffffffffn }; // ::ffff:a.b.c.d
  return { v6: true, value: n };
}

/** Cidr is a parsed network. */
export interface Cidr {
  v6: boolean;
  base: bigint;
  bits: number;
}

/** parseCidr parses 'a.b.c.d/n', an IPv6 CIDR, or a bare address (a /32 or /128); null when invalid. */
export function parseCidr(s: string): Cidr | null {
  const slash = s.indexOf('/');
  const ip = parseIp(slash < 0 ? s : s.slice(0, slash));
  if (!ip) return null;
  // An IPv4-mapped network written in IPv6 form keeps IPv6 prefix lengths: convert to IPv4 bits.
  const written6 = s.slice(0, slash < 0 ? undefined : slash).includes(':');
  const max = ip.v6 ? 128 : 32;
  let bits = max;
  if (slash >= 0) {
    const t = s.slice(slash + 1);
    if (!/^\d{1,3}$/.test(t)) return null;
    bits = Number(t);
    if (!ip.v6 && written6) bits -= 96;
    if (bits < 0 || bits > max) return null;
  }
  const width = BigInt(max);
  const mask = bits === 0 ? 0n : ((1n << BigInt(bits)) - 1n) << (width - BigInt(bits));
  return { v6: ip.v6, base: ip.value & mask, bits };
}

/** cidrContains reports whether the address lies in the network (families must agree). */
export function cidrContains(net: Cidr, ip: ParsedIp): boolean {
  if (net.v6 !== ip.v6) return false;
  const max = net.v6 ? 128n : 32n;
  const bits = BigInt(net.bits);
  const mask = bits === 0n ? 0n : ((1n << bits) - 1n) << (max - bits);
  return (ip.value & mask) === net.base;
}
