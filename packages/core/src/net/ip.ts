/**
 * IP literals and prefixes for anything that validates or sorts addresses (icvpn-meta, alfred
 * node data). Scanned by character code, without node:net's large regular expressions.
 */
export type IpFamily = 'ipv4' | 'ipv6';

export interface ParsedIp {
  family: IpFamily;
  /** 4 or 16 bytes. */
  bytes: number[];
}

/** Parses a dotted-quad IPv4 or an IPv6 address (with `::` and an embedded IPv4 tail); undefined when invalid. */
export function parseIp(text: string): ParsedIp | undefined {
  if (text.includes(':')) {
    const bytes = parseIpv6(text);
    return bytes && { family: 'ipv6', bytes };
  }
  const bytes = parseIpv4(text);
  return bytes && { family: 'ipv4', bytes };
}

/** The family of an address literal; undefined when `text` is none. */
export function familyOf(address: string): IpFamily | undefined {
  return parseIp(address)?.family;
}

/** Four dot-separated decimals 0–255 without leading zeros (`010` is refused, as node:net does). */
function parseIpv4(text: string): number[] | undefined {
  // By character code: icvpn-meta with 10,000 communities parses ~100,000 addresses per run.
  const bytes: number[] = [];
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= text.length; i++) {
    const code = i < text.length ? text.charCodeAt(i) : 0x2e; /* a final '.' closes the last part */
    if (code === 0x2e) {
      if (digits === 0 || value > 255 || bytes.length === 4) return undefined;
      bytes.push(value);
      value = 0;
      digits = 0;
    } else {
      if (code < 0x30 || code > 0x39 || (digits === 1 && value === 0) || digits === 3) return undefined;
      value = value * 10 + (code - 0x30);
      digits += 1;
    }
  }
  return bytes.length === 4 ? bytes : undefined;
}

function hexDigit(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  const lower = code | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1;
}

function parseIpv6(text: string): number[] | undefined {
  const head: number[] = [];
  const tail: number[] = [];
  let groups = head;
  let gap = false;
  let v4: number[] | undefined;
  let i = 0;
  if (text.startsWith('::')) {
    gap = true;
    groups = tail;
    i = 2;
  }
  while (i < text.length) {
    let word = 0;
    let digits = 0;
    const start = i;
    for (let d = hexDigit(text.charCodeAt(i)); d >= 0 && digits < 5; d = hexDigit(text.charCodeAt(++i))) {
      word = (word << 4) | d;
      digits += 1;
    }
    if (text.charCodeAt(i) === 0x2e /* . */) {
      // An IPv4 tail (::ffff:10.0.0.1) stands for the last two groups.
      v4 = parseIpv4(text.slice(start));
      if (!v4) return undefined;
      break;
    }
    if (digits === 0 || digits > 4) return undefined;
    groups.push(word);
    if (i === text.length) break;
    if (text.charCodeAt(i) !== 0x3a /* : */) return undefined;
    i += 1;
    if (text.charCodeAt(i) === 0x3a) {
      if (gap) return undefined;
      gap = true;
      groups = tail;
      i += 1;
    } else if (i === text.length) return undefined;
  }
  const present = head.length + tail.length + (v4 ? 2 : 0);
  if (gap ? present > 7 : present !== 8) return undefined;
  const bytes: number[] = [];
  for (const word of head) bytes.push(word >> 8, word & 0xff);
  for (let k = present; k < 8; k++) bytes.push(0, 0);
  for (const word of tail) bytes.push(word >> 8, word & 0xff);
  if (v4) bytes.push(...v4);
  return bytes;
}

/** The address as an integer. */
export function addressToBigInt(ip: ParsedIp): bigint {
  return ip.family === 'ipv4' ? BigInt(ipv4ToNumber(ip.bytes)) : BigInt(`0x${ipv6Hex(ip.bytes)}`);
}

/** A canonical spelling (decimal / 32 hex digits): equal for equal addresses, without BigInt arithmetic. */
export function addressKey(ip: ParsedIp): string {
  return ip.family === 'ipv4' ? String(ipv4ToNumber(ip.bytes)) : ipv6Hex(ip.bytes);
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

/** An address range as integers, so containment and overlap are exact whatever the spelling. */
export interface Prefix {
  family: IpFamily;
  /** First address of the range (host bits cleared). */
  start: bigint;
  length: number;
  /** The text as written (printed unchanged, e.g. icvpn-meta's spelling in generated files). */
  text: string;
}

export interface PrefixOptions {
  /**
   * `refuse`: `10.1.2.0/16` is not a prefix (icvpn-meta: a typo there is someone's network);
   * `allow`: it stands for 10.1.0.0/16 (settings naming the prefix a host lives in).
   */
  hostBits: 'refuse' | 'allow';
}

const BITS: Record<IpFamily, number> = { ipv4: 32, ipv6: 128 };

/**
 * Parses `address/length`: a literal address, a length in range, nothing around it; host bits
 * as `options` say. Returns the prefix, or why `text` is none.
 */
export function parsePrefix(text: string, options: PrefixOptions): Prefix | string {
  const match = /^([^/]+)\/(\d{1,3})$/.exec(text);
  if (!match) return 'not a prefix of the form address/length';
  const ip = parseIp(match[1]);
  if (!ip) return 'not an IP address before the slash';
  const { family } = ip;
  const length = Number(match[2]);
  if (length > BITS[family]) return `prefix length ${length} is too long for ${family}`;
  const address = addressToBigInt(ip);
  const host = address & hostMask(family, length);
  if (host && options.hostBits === 'refuse') return 'host bits are set';
  return { family, start: address ^ host, length, text };
}

/** Whether `text` is an address/length prefix such as `fd37:b4dc:4b1e::/64` (host bits allowed). */
export function isPrefix(text: string): boolean {
  return typeof parsePrefix(text, { hostBits: 'allow' }) !== 'string';
}

/** Host masks by family and prefix length: computed once (BigInt arithmetic allocates), on first use (not in every run's start). */
let hostMasks: Record<IpFamily, bigint[]> | undefined;

function hostMask(family: IpFamily, length: number): bigint {
  hostMasks ??= {
    ipv4: Array.from({ length: 33 }, (_, l) => (1n << BigInt(32 - l)) - 1n),
    ipv6: Array.from({ length: 129 }, (_, l) => (1n << BigInt(128 - l)) - 1n),
  };
  return hostMasks[family][length];
}

/** The last address of the prefix. */
export function prefixEnd(p: Prefix): bigint {
  return p.start | hostMask(p.family, p.length);
}

/** The prefix of `length` bits (at most `p.length`) that holds `p`: its start with the host bits cleared. */
export function supernet(p: Prefix, length: number): Prefix {
  return { ...p, start: p.start & ~hostMask(p.family, length), length };
}

/** Whether `inner` lies within `outer` (equal prefixes count). */
export function prefixContains(outer: Prefix, inner: Prefix): boolean {
  return (
    outer.family === inner.family &&
    outer.length <= inner.length &&
    inner.start >= outer.start &&
    prefixEnd(inner) <= prefixEnd(outer)
  );
}

/**
 * A set of prefixes (`fd37:b4dc:4b1e::/64`, `10.37.0.0/16`; host bits allowed); invalid ones are
 * reported by the constructor. Membership compares bytes: it runs for every address of a run,
 * and needs no BigInt per address.
 */
export class PrefixSet {
  private readonly members: { prefix: Prefix; bytes: number[] }[] = [];

  constructor(prefixes: readonly string[], onInvalid: (prefix: string, reason: string) => never) {
    for (const text of prefixes) {
      const prefix = parsePrefix(text, { hostBits: 'allow' });
      if (typeof prefix === 'string') onInvalid(text, prefix);
      this.members.push({ prefix, bytes: bytesOf(prefix) });
    }
  }

  contains(ip: ParsedIp): boolean {
    return this.members.some(
      ({ prefix, bytes }) => prefix.family === ip.family && matches(bytes, ip.bytes, prefix.length),
    );
  }
}

/** The prefix's first address as 4 or 16 bytes. */
function bytesOf({ family, start }: Prefix): number[] {
  const bytes: number[] = [];
  for (let shift = BigInt(BITS[family] - 8); shift >= 0n; shift -= 8n)
    bytes.push(Number((start >> shift) & 0xffn));
  return bytes;
}
function matches(prefix: number[], address: number[], length: number): boolean {
  const whole = length >> 3;
  for (let i = 0; i < whole; i++) if (prefix[i] !== address[i]) return false;
  const rest = length & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (prefix[whole] & mask) === (address[whole] & mask);
}
