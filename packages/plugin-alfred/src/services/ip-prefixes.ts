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

function parseIpv4(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const bytes = parts.map((p) => (/^(0|[1-9]\d{0,2})$/.test(p) ? Number(p) : 256));
  return bytes.every((b) => b <= 255) ? bytes : undefined;
}

const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

function parseIpv6(text: string): number[] | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] === '' ? [] : halves[0].split(':');
  const tail = halves.length === 2 && halves[1] !== '' ? halves[1].split(':') : [];
  // An IPv4 tail (::ffff:10.0.0.1) stands for the last two groups.
  const lastGroups = tail.length > 0 ? tail : head;
  let v4: number[] | undefined;
  if (lastGroups.length > 0 && lastGroups[lastGroups.length - 1].includes('.')) {
    v4 = parseIpv4(lastGroups.pop()!);
    if (!v4) return undefined;
  }
  const present = head.length + tail.length + (v4 ? 2 : 0);
  if (halves.length === 2 ? present > 7 : present !== 8) return undefined;
  const bytes: number[] = [];
  const pushGroups = (groups: string[]) => {
    for (const group of groups) {
      if (!HEX_GROUP.test(group)) return false;
      const word = Number.parseInt(group, 16);
      bytes.push(word >> 8, word & 0xff);
    }
    return true;
  };
  if (!pushGroups(head)) return undefined;
  for (let i = present; i < 8; i++) bytes.push(0, 0);
  if (!pushGroups(tail)) return undefined;
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
