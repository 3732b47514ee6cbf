import type { IpFamily, Prefix } from '@ffphoton/core';
import { IANA_TLDS } from '../data/iana-tlds.js';

const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
/** LDH labels separated by dots, optional trailing dot; no `_` (check requires IDNA). */
const DOMAIN = new RegExp(`^(?=.{1,253}\\.?$)${LABEL}(?:\\.${LABEL})*\\.?$`);
/**
 * RFC 2317 classless reverse names, `128/18.24.10.in-addr.arpa` or `0-127.2.0.192.in-addr.arpa`:
 * the only place a `/` is accepted (BIND takes it in a quoted zone name).
 */
const CLASSLESS = /^(\d{1,3})([/-])(\d{1,3})((?:\.\d{1,3}){1,3})\.in-addr\.arpa\.?$/i;
/** Names that would capture the whole reverse tree (or a TLD, see below). */
const CAPTURING = new Set(['arpa', 'in-addr.arpa', 'ip6.arpa']);

let tlds: Set<string> | undefined;

/** Why `domain` must not reach a DNS output, or undefined when it may. */
export function domainNameProblem(domain: unknown): string | undefined {
  if (typeof domain !== 'string' || (!DOMAIN.test(domain) && !CLASSLESS.test(domain)))
    return 'is not a domain name (letters, digits, dashes and dots; a "/" only in an RFC 2317 reverse name)';
  const name = normalDomain(domain);
  tlds ??= new Set(IANA_TLDS.split(/\s+/));
  if (CAPTURING.has(name)) return 'is a whole reverse tree; it would capture the names of others';
  if (tlds.has(name)) return 'is a top-level domain (IANA list); it would capture the names of others';
  return undefined;
}

/** Lower case without the trailing dot: the form names are compared in. */
export function normalDomain(domain: string): string {
  const lower = domain.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

/**
 * The prefix a reverse zone stands for (`8.10.in-addr.arpa.` → 10.8.0.0/16,
 * `128/18.24.10.in-addr.arpa` → 10.24.128.0/18); undefined for a forward name, a string
 * saying why for a malformed reverse name.
 */
export function reverseZonePrefix(domain: string): Prefix | string | undefined {
  const name = normalDomain(domain);
  if (name.endsWith('.in-addr.arpa')) return inAddrPrefix(name, domain);
  if (!name.endsWith('.ip6.arpa')) return undefined;
  const nibbles = name.slice(0, -'.ip6.arpa'.length).split('.').reverse();
  if (nibbles.length > 32 || nibbles.some((n) => !/^[0-9a-f]$/.test(n))) return 'labels must be hex digits';
  const start = BigInt(`0x${nibbles.join('').padEnd(32, '0')}`);
  return { family: 'ipv6', start, length: nibbles.length * 4, text: domain };
}

function inAddrPrefix(name: string, text: string): Prefix | string {
  const classless = CLASSLESS.exec(name);
  const labels = (classless ? classless[4].slice(1) : name.slice(0, -'.in-addr.arpa'.length)).split('.');
  const octets = labels.reverse().map(Number);
  if (octets.length > 4 || labels.some((o) => !/^\d{1,3}$/.test(o)) || octets.some((o) => o > 255))
    return 'labels must be 1 to 4 octets (0-255)';
  let length = octets.length * 8;
  if (classless) {
    // CLASSLESS allows one to three octets after the block: with it, at most four.
    const [first, separator, second] = [Number(classless[1]), classless[2], Number(classless[3])];
    // `a/len` (RFC 2317's example) or the range `a-b`; either must be one aligned CIDR block.
    const size = separator === '/' ? 2 ** (8 * (octets.length + 1) - second) : second - first + 1;
    const bits = Math.log2(size);
    if (!Number.isInteger(bits) || bits < 0 || bits >= 8 || first % size !== 0 || first > 255)
      return `"${classless[1]}${separator}${classless[3]}" is not an aligned block inside one octet`;
    octets.push(first);
    length = octets.length * 8 - bits;
  }
  const start = octets.reduce((n, o) => n * 256 + o, 0) * 256 ** (4 - octets.length);
  return { family: 'ipv4', start: BigInt(start), length, text };
}

/** check's rule: reverse delegation happens at octet (nibble) boundaries, so a network's zone is rounded down to one. */
export function reverseZoneRounding(family: IpFamily): number {
  return family === 'ipv4' ? 8 : 4;
}
