import { parseIp } from '@ffphoton/core';

export type Family = 'ipv4' | 'ipv6';

/** An address range as integers, so containment and overlap are exact whatever the spelling. */
export interface Prefix {
  family: Family;
  /** First address of the range. */
  start: bigint;
  length: number;
  /** The text as written in icvpn-meta (printed unchanged, like the reference tools). */
  text: string;
}

const BITS: Record<Family, number> = { ipv4: 32, ipv6: 128 };

/** Only these characters can appear in an address literal (no `%zone`). */
const ADDRESS_CHARS = /^[0-9A-Fa-f:.]+$/;

export function familyOf(address: string): Family | undefined {
  if (!ADDRESS_CHARS.test(address)) return undefined;
  const ip = parseIp(address);
  return ip && (ip.family === 4 ? 'ipv4' : 'ipv6');
}

/** The address as an integer; `address` must be a valid literal of `family` (see familyOf). */
export function addressToBigInt(address: string, family: Family): bigint {
  return family === 'ipv4'
    ? BigInt(ipv4ToNumber(bytesOf(address)))
    : BigInt(`0x${ipv6Hex(bytesOf(address))}`);
}

/** A canonical spelling (decimal / 32 hex digits): equal for equal addresses, without BigInt arithmetic. */
export function addressKey(address: string, family: Family): string {
  const bytes = bytesOf(address);
  return family === 'ipv4' ? String(ipv4ToNumber(bytes)) : ipv6Hex(bytes);
}

function bytesOf(address: string): number[] {
  const ip = parseIp(address);
  if (!ip) throw new TypeError(`${address} is not an IP address`);
  return ip.bytes;
}

function ipv4ToNumber([a, b, c, d]: number[]): number {
  return a * 0x1000000 + b * 0x10000 + c * 0x100 + d;
}

/** 32 hex digits: one BigInt parse instead of sixteen shifts (this runs for every address of every community). */
function ipv6Hex(bytes: number[]): string {
  let hex = '';
  for (const byte of bytes) hex += (byte < 16 ? '0' : '') + byte.toString(16);
  return hex;
}

/** Parses `addr/len` strictly: a literal address, a length in range, no host bits set. */
export function parsePrefix(text: string): Prefix | string {
  const match = /^([^/]+)\/(\d{1,3})$/.exec(text);
  if (!match) return 'not a prefix of the form address/length';
  const family = familyOf(match[1]);
  if (!family) return 'not an IP address before the slash';
  const length = Number(match[2]);
  if (length > BITS[family]) return `prefix length ${length} is too long for ${family}`;
  const start = addressToBigInt(match[1], family);
  if (start & hostMask(family, length)) return 'host bits are set';
  return { family, start, length, text };
}

/** Host masks by family and prefix length, computed once (BigInt arithmetic allocates). */
const HOST_MASKS: Record<Family, bigint[]> = {
  ipv4: Array.from({ length: 33 }, (_, l) => (1n << BigInt(32 - l)) - 1n),
  ipv6: Array.from({ length: 129 }, (_, l) => (1n << BigInt(128 - l)) - 1n),
};

function hostMask(family: Family, length: number): bigint {
  return HOST_MASKS[family][length];
}

export function prefixEnd(p: Prefix): bigint {
  return p.start | hostMask(p.family, p.length);
}

/** Whether `inner` lies within `outer` (equal prefixes count). */
export function prefixContains(outer: Prefix, inner: Prefix): boolean {
  return outer.family === inner.family && outer.length <= inner.length && inner.start >= outer.start
    ? prefixEnd(inner) <= prefixEnd(outer)
    : false;
}

const keyRanges = new WeakMap<Prefix, [string, string]>();

/**
 * Whether the address with canonical key `key` (addressKey) lies in `p`, without BigInt per
 * address: IPv6 keys are fixed-width hex, so they compare as strings; IPv4 keys are decimal.
 */
export function keyInPrefix(key: string, family: Family, p: Prefix): boolean {
  if (p.family !== family) return false;
  if (family === 'ipv4') {
    const n = Number(key);
    return n >= Number(p.start) && n <= Number(prefixEnd(p));
  }
  let range = keyRanges.get(p);
  if (!range) {
    range = [p.start.toString(16).padStart(32, '0'), prefixEnd(p).toString(16).padStart(32, '0')];
    keyRanges.set(p, range);
  }
  return key >= range[0] && key <= range[1];
}

export const TRANSFER_V4 = parsePrefix('10.207.0.0/16') as Prefix;
export const TRANSFER_V6 = parsePrefix('fec0::a:cf:0:0/96') as Prefix;
export const LINK_LOCAL_V6 = parsePrefix('fe80::/10') as Prefix;
