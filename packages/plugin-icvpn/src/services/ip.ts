import { isIPv4, isIPv6 } from 'node:net';

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

/** Only these characters can appear in an address literal; Node's isIPv6 also accepts `%zone`. */
const ADDRESS_CHARS = /^[0-9A-Fa-f:.]+$/;

export function familyOf(address: string): Family | undefined {
  if (!ADDRESS_CHARS.test(address)) return undefined;
  if (isIPv4(address)) return 'ipv4';
  if (isIPv6(address)) return 'ipv6';
  return undefined;
}

export function addressToBigInt(address: string, family: Family): bigint {
  if (family === 'ipv4') {
    return address.split('.').reduce((acc, octet) => (acc << 8n) | BigInt(Number(octet)), 0n);
  }
  let text = address;
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two hex groups.
  const v4 = text.match(/(\d+\.\d+\.\d+\.\d+)$/);
  if (v4) {
    const n = addressToBigInt(v4[1], 'ipv4');
    text = `${text.slice(0, -v4[1].length)}${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : Array(8 - headGroups.length - tailGroups.length).fill('0');
  return [...headGroups, ...fill, ...tailGroups].reduce((acc, g) => (acc << 16n) | BigInt(`0x${g}`), 0n);
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

function hostMask(family: Family, length: number): bigint {
  return (1n << BigInt(BITS[family] - length)) - 1n;
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

export function addressInPrefix(address: bigint, family: Family, p: Prefix): boolean {
  return p.family === family && address >= p.start && address <= prefixEnd(p);
}

export const TRANSFER_V4 = parsePrefix('10.207.0.0/16') as Prefix;
export const TRANSFER_V6 = parsePrefix('fec0::a:cf:0:0/96') as Prefix;
export const LINK_LOCAL_V6 = parsePrefix('fe80::/10') as Prefix;
