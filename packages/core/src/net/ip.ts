/**
 * IP literals and prefixes for anything that validates or sorts addresses (icvpn-meta, alfred
 * node data). Scanned by character code, without node:net's large regular expressions.
 */
export interface ParsedIp {
  family: 4 | 6;
  /** 4 or 16 bytes. */
  bytes: number[];
}

/** Parses a dotted-quad IPv4 or an IPv6 address (with `::` and an embedded IPv4 tail); undefined when invalid. */
export function parseIp(text: string): ParsedIp | undefined {
  if (text.includes(':')) {
    const bytes = parseIpv6(text);
    return bytes && { family: 6, bytes };
  }
  const bytes = parseIpv4(text);
  return bytes && { family: 4, bytes };
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

/** Whether `text` is an address/length prefix such as `fd37:b4dc:4b1e::/64`. */
export function isPrefix(text: string): boolean {
  const [address, bits, extra] = text.split('/');
  const ip = parseIp(address ?? '');
  return (
    ip !== undefined &&
    extra === undefined &&
    /^\d{1,3}$/.test(bits ?? '') &&
    Number(bits) <= ip.bytes.length * 8
  );
}

/** A set of prefixes (`fd37:b4dc:4b1e::/64`, `10.37.0.0/16`); invalid ones are reported by the constructor. */
export class PrefixSet {
  private readonly prefixes: { family: 4 | 6; bytes: number[]; length: number }[] = [];

  constructor(prefixes: readonly string[], onInvalid: (prefix: string) => never) {
    for (const prefix of prefixes) {
      if (!isPrefix(prefix)) onInvalid(prefix);
      const [address, bits] = prefix.split('/');
      const ip = parseIp(address)!;
      this.prefixes.push({ family: ip.family, bytes: ip.bytes, length: Number(bits) });
    }
  }

  contains(ip: ParsedIp): boolean {
    return this.prefixes.some((p) => p.family === ip.family && matches(p.bytes, ip.bytes, p.length));
  }
}

function matches(prefix: number[], address: number[], length: number): boolean {
  const whole = length >> 3;
  for (let i = 0; i < whole; i++) if (prefix[i] !== address[i]) return false;
  const rest = length & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (prefix[whole] & mask) === (address[whole] & mask);
}
