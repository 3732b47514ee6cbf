import { type ParsedIp, PrefixSet, parseIp } from '@ffphoton/core';

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
const FAMILY_NAMES: Record<ParsedIp['family'], Family> = { 4: 'ipv4', 6: 'ipv6' };

export function ipFamily(ip: ParsedIp): Family {
  return FAMILY_NAMES[ip.family];
}

export function familyOf(address: string): Family | undefined {
  const ip = parseIp(address);
  return ip && ipFamily(ip);
}

/** The address as an integer. */
export function addressToBigInt(ip: ParsedIp): bigint {
  return ip.family === 4 ? BigInt(ipv4ToNumber(ip.bytes)) : BigInt(`0x${ipv6Hex(ip.bytes)}`);
}

/** A canonical spelling (decimal / 32 hex digits): equal for equal addresses, without BigInt arithmetic. */
export function addressKey(ip: ParsedIp): string {
  return ip.family === 4 ? String(ipv4ToNumber(ip.bytes)) : ipv6Hex(ip.bytes);
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
  const ip = parseIp(match[1]);
  if (!ip) return 'not an IP address before the slash';
  const family = ipFamily(ip);
  const length = Number(match[2]);
  if (length > BITS[family]) return `prefix length ${length} is too long for ${family}`;
  const start = addressToBigInt(ip);
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

/** The prefix of `length` bits (at most `p.length`) that holds `p`: its start with the host bits cleared. */
export function supernet(p: Prefix, length: number): Prefix {
  return { ...p, start: p.start & ~hostMask(p.family, length), length };
}

/** Whether `inner` lies within `outer` (equal prefixes count). */
export function prefixContains(outer: Prefix, inner: Prefix): boolean {
  return outer.family === inner.family && outer.length <= inner.length && inner.start >= outer.start
    ? prefixEnd(inner) <= prefixEnd(outer)
    : false;
}

/** A set of one constant prefix: a typo in it is a bug, not bad input. */
function constantPrefix(text: string): PrefixSet {
  return new PrefixSet([text], (prefix) => {
    throw new TypeError(`${prefix} is not a prefix`);
  });
}

/** check's transfer networks; BGP peer addresses must lie in the one of their family. */
export const TRANSFER_NETWORKS: Record<Family, string> = { ipv4: '10.207.0.0/16', ipv6: 'fec0::a:cf:0:0/96' };
export const TRANSFER: Record<Family, PrefixSet> = {
  ipv4: constantPrefix(TRANSFER_NETWORKS.ipv4),
  ipv6: constantPrefix(TRANSFER_NETWORKS.ipv6),
};
export const LINK_LOCAL_V6 = constantPrefix('fe80::/10');
