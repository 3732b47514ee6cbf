import { type ParsedIp, parseIp } from '@ffphoton/core';
import type { BgpPeer, Community, Delegation, Problem, Severity } from './community.js';
import { quote } from './community.js';
import {
  addressKey,
  type Family,
  familyOf,
  ipFamily,
  LINK_LOCAL_V6,
  type Prefix,
  parsePrefix,
  prefixContains,
  prefixEnd,
  TRANSFER,
  TRANSFER_NETWORKS,
} from './ip.js';
import type { RawCommunity } from './meta-reader.js';

/** Community (file) names as they occur in icvpn-meta: `Rheinland_Sandbox`, `gera-greiz`. */
export const COMMUNITY_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
/** tinc node-name characters without the dash that `check` forbids ("breaks bird/bird cli"). */
export const PEER_NAME = /^[A-Za-z0-9_]+$/;
/** LDH labels separated by dots, optional trailing dot; no `_` (check requires IDNA). */
const DOMAIN =
  /^(?=.{1,253}\.?$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;
const MAX_ASN = 4_294_967_295;
const FAMILIES: Family[] = ['ipv4', 'ipv6'];

export interface ValidationOptions {
  /** Accept fe80::/10 BGP peers (mkbgp appends `%interface`); `check` calls them errors. */
  allowLinkLocal?: boolean;
}

export interface ValidationResult {
  communities: Community[];
  problems: Problem[];
  /** Names of the communities left out because of an error. */
  rejected: string[];
}

/**
 * Validates parsed community files by the rules of icvpn-scripts' `check`. A community with
 * any error is left out whole; cross-community clashes (duplicate ASN, peer, BGP address,
 * domain, overlapping networks) reject the later file in reading order.
 */
export class CommunityValidator {
  private readonly candidates: Candidate[] = [];
  private readonly problems: Problem[] = [];
  private readonly rejected: string[] = [];

  constructor(private readonly options: ValidationOptions = {}) {}

  /**
   * The per-file rules, applied as each file is read: only what passed is kept, so the parsed
   * documents of 10,000 files die young instead of all surviving until the cross check.
   */
  add(file: RawCommunity): void {
    const local = new CommunityCheck(file.name, this.options);
    const community = local.run(file.data);
    this.problems.push(...local.problems);
    if (community && !local.failed)
      this.candidates.push({ community, prefixes: local.prefixes, addresses: local.addresses });
    else this.rejected.push(file.name);
  }

  /** The cross-community checks in reading order; `readProblems` are those of the reader (they come first). */
  finish(readProblems: readonly Problem[] = []): ValidationResult {
    const problems: Problem[] = [...readProblems, ...this.problems];
    const rejected = new Set([
      ...readProblems.filter((p) => p.severity === 'error').map((p) => p.community),
      ...this.rejected,
    ]);
    const clashes = new CrossCheck(overlappingPrefixes(this.candidates.flatMap((c) => c.prefixes)));
    const communities: Community[] = [];
    for (const candidate of this.candidates) {
      const found = clashes.check(candidate);
      problems.push(...found);
      if (found.some((p) => p.severity === 'error')) rejected.add(candidate.community.name);
      else {
        clashes.add(candidate);
        communities.push(candidate.community);
      }
    }
    return { communities, problems, rejected: [...rejected] };
  }
}

/** A valid BGP address of a peer, with its canonical spelling for the duplicate check. */
interface PeerAddress {
  peer: string;
  family: Family;
  address: string;
  key: string;
}

/** A community that passed its own rules, waiting for the cross-community check. */
interface Candidate {
  community: Community;
  prefixes: Prefix[];
  addresses: PeerAddress[];
}

/** Code-unit order, as mkbgp's sort of peer names. */
function compareUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The per-file rules. */
class CommunityCheck {
  readonly problems: Problem[] = [];
  readonly prefixes: Prefix[] = [];
  readonly addresses: PeerAddress[] = [];
  failed = false;

  constructor(
    private readonly name: string,
    private readonly options: ValidationOptions,
  ) {}

  private report(key: string, message: string, severity: Severity = 'error'): void {
    this.problems.push({ community: this.name, key, severity, message });
    if (severity === 'error') this.failed = true;
  }

  run(doc: unknown): Community | undefined {
    if (!COMMUNITY_NAME.test(this.name)) {
      this.report('(file name)', 'community name must match [A-Za-z0-9][A-Za-z0-9_-]*');
      return undefined;
    }
    if (!(doc instanceof Map)) {
      this.report(
        '(file)',
        `top level must be a mapping, found ${doc === null ? 'an empty document' : typeof doc}`,
      );
      return undefined;
    }
    const community: Community = { name: this.name };
    if (doc.has('asn')) community.asn = this.asn('asn', doc.get('asn'));
    if (doc.has('networks')) community.networks = this.networks(doc.get('networks'));
    if (doc.has('bgp')) {
      community.bgp = this.bgp(doc.get('bgp'));
      if (!doc.has('asn')) this.report('bgp', 'a bgp block needs an asn');
    }
    if (doc.has('domains')) community.domains = this.domains(doc.get('domains'));
    if (doc.has('nameservers')) community.nameservers = this.nameservers(doc.get('nameservers'));
    if (doc.has('nameserver'))
      this.report('nameserver', 'unknown key, did you mean "nameservers"?', 'warning');
    if (doc.has('delegate')) community.delegate = this.delegate(doc.get('delegate'));
    return community;
  }

  private asn(key: string, value: unknown): number | undefined {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_ASN) {
      this.report(key, `ASN ${quote(value)} is not an integer in 1..${MAX_ASN}`);
      return undefined;
    }
    return value;
  }

  private list(key: string, value: unknown): unknown[] {
    if (Array.isArray(value)) return value;
    this.report(key, `expected a list, found ${quote(value)}`);
    return [];
  }

  /** `value` if it is a mapping; else reports "expected a mapping {what}". */
  private map(key: string, value: unknown, what: string): Map<unknown, unknown> | undefined {
    if (value instanceof Map) return value;
    this.report(key, `expected a mapping ${what}`);
    return undefined;
  }

  private networks(value: unknown): Community['networks'] {
    const map = this.map('networks', value, 'with ipv4 and/or ipv6');
    if (!map) return undefined;
    const networks: Community['networks'] = {};
    for (const [family, list] of map) {
      if (family !== 'ipv4' && family !== 'ipv6') {
        this.report('networks', `unknown family ${quote(family)}`);
        continue;
      }
      networks[family] = this.list(`networks.${family}`, list).map((text) => {
        const prefix = this.prefix(`networks.${family}`, text, family);
        if (prefix) this.prefixes.push(prefix);
        return String(text);
      });
    }
    return networks;
  }

  private prefix(key: string, text: unknown, family?: Family): Prefix | undefined {
    const parsed = typeof text === 'string' ? parsePrefix(text) : 'not a string';
    if (typeof parsed === 'string') {
      this.report(key, `${quote(text)} is ${parsed}`);
      return undefined;
    }
    if (family && parsed.family !== family) {
      this.report(key, `${quote(text)} is not an ${family} prefix`);
      return undefined;
    }
    return parsed;
  }

  private bgp(value: unknown): BgpPeer[] {
    const map = this.map('bgp', value, 'of peer names');
    if (!map) return [];
    const peers: BgpPeer[] = [];
    for (const [rawName, rawPeer] of map) {
      const name = typeof rawName === 'number' ? String(rawName) : rawName;
      if (typeof name !== 'string' || !PEER_NAME.test(name)) {
        this.report('bgp', `peer name ${quote(rawName)} contains characters outside [A-Za-z0-9_]`);
        continue;
      }
      const addresses = this.map(`bgp.${name}`, rawPeer, 'with ipv4 and/or ipv6');
      if (!addresses) continue;
      const peer: BgpPeer = { name };
      const ips: Partial<Record<Family, ParsedIp>> = {};
      for (const [family, address] of addresses) {
        if (family !== 'ipv4' && family !== 'ipv6') {
          this.report(`bgp.${name}`, `unknown family ${quote(family)}`);
          continue;
        }
        const ip = this.transferAddress(`bgp.${name}.${family}`, family, address);
        if (!ip) continue;
        peer[family] = address as string;
        ips[family] = ip;
        this.addresses.push({ peer: name, family, address: address as string, key: addressKey(ip) });
      }
      this.matchingLowBits(name, ips);
      peers.push(peer);
    }
    // CrossCheck walks peers and their addresses in the same order.
    this.addresses.sort((a, b) => compareUnits(a.peer, b.peer) || compareUnits(a.family, b.family));
    return peers.sort((a, b) => compareUnits(a.name, b.name));
  }

  /** The parsed address if it is a valid transfer address, else undefined (reported). */
  private transferAddress(key: string, family: Family, address: unknown): ParsedIp | undefined {
    const ip = typeof address === 'string' ? parseIp(address) : undefined;
    if (!ip || ipFamily(ip) !== family) {
      this.report(key, `${quote(address)} is not an ${family} address`);
      return undefined;
    }
    if (TRANSFER[family].contains(ip)) return ip;
    if (family === 'ipv6' && this.options.allowLinkLocal && LINK_LOCAL_V6.contains(ip)) return ip;
    this.report(key, `${quote(address)} lies outside the transfer network ${TRANSFER_NETWORKS[family]}`);
    return undefined;
  }

  /** check's convention: the last 8 bits of the IPv4 address equal the last 16 of the IPv6 address. */
  private matchingLowBits(name: string, ips: Partial<Record<Family, ParsedIp>>): void {
    if (!ips.ipv4 || !ips.ipv6) return;
    const v6 = ips.ipv6.bytes;
    if (ips.ipv4.bytes[3] !== v6[14] * 256 + v6[15])
      this.report(`bgp.${name}`, 'IPv4 and IPv6 transfer addresses do not match', 'warning');
  }

  private domains(value: unknown): string[] {
    const domains: string[] = [];
    for (const domain of this.list('domains', value)) {
      if (typeof domain !== 'string' || !DOMAIN.test(domain)) {
        this.report(
          'domains',
          `${quote(domain)} is not a domain name (letters, digits, dashes and dots only)`,
        );
        continue;
      }
      const zone = reverseZonePrefix(domain);
      if (zone && !this.prefixes.some((own) => prefixContains(own, zone))) {
        this.report('domains', `reverse zone ${quote(domain)} is not within the community's own networks`);
        continue;
      }
      domains.push(domain);
    }
    return domains;
  }

  private nameservers(value: unknown): string[] {
    const servers: string[] = [];
    for (const server of this.list('nameservers', value)) {
      if (typeof server !== 'string' || !familyOf(server)) {
        this.report('nameservers', `${quote(server)} is not an IP address`);
        continue;
      }
      servers.push(server);
    }
    return servers;
  }

  private delegate(value: unknown): Delegation[] {
    const map = this.map('delegate', value, 'of ASN to prefixes');
    if (!map) return [];
    const delegations: Delegation[] = [];
    for (const [rawAsn, list] of map) {
      const asn = this.asn('delegate', rawAsn);
      const prefixes: string[] = [];
      for (const text of this.list(`delegate.${rawAsn}`, list)) {
        const prefix = this.prefix(`delegate.${rawAsn}`, text);
        if (!prefix) continue;
        if (!this.prefixes.some((own) => prefixContains(own, prefix))) {
          this.report(`delegate.${rawAsn}`, `${quote(text)} is not within the community's own networks`);
          continue;
        }
        prefixes.push(prefix.text);
      }
      if (asn !== undefined) delegations.push({ asn, prefixes });
    }
    return delegations;
  }
}

const REVERSE_ZONE = /\.arpa\.?$/i;

/** The prefix a reverse zone stands for (`8.10.in-addr.arpa.` → 10.8.0.0/16), else undefined. */
export function reverseZonePrefix(domain: string): Prefix | undefined {
  if (!REVERSE_ZONE.test(domain)) return undefined;
  const name = domain.toLowerCase().replace(/\.$/, '');
  if (name.endsWith('.in-addr.arpa')) {
    const octets = name.slice(0, -'.in-addr.arpa'.length).split('.').reverse();
    if (octets.length > 4 || octets.some((o) => !/^\d{1,3}$/.test(o) || Number(o) > 255)) return undefined;
    const start = octets.reduce((n, o) => n * 256 + Number(o), 0) * 256 ** (4 - octets.length);
    return { family: 'ipv4', start: BigInt(start), length: octets.length * 8, text: domain };
  }
  if (name.endsWith('.ip6.arpa')) {
    const nibbles = name.slice(0, -'.ip6.arpa'.length).split('.').reverse();
    if (nibbles.length > 32 || nibbles.some((n) => !/^[0-9a-f]$/.test(n))) return undefined;
    const hex = nibbles.join('').padEnd(32, '0');
    const start = BigInt(`0x${hex}`);
    return { family: 'ipv6', start, length: nibbles.length * 4, text: domain };
  }
  return undefined;
}

/**
 * The prefixes that overlap another prefix at all, found by one sort and sweep (CIDR ranges
 * are nested or disjoint, so a stack of the enclosing ranges suffices). Only these can clash,
 * so only these go through the reading-order check below.
 */
function overlappingPrefixes(prefixes: readonly Prefix[]): Set<Prefix> {
  const overlapping = new Set<Prefix>();
  for (const family of FAMILIES) {
    const sorted = prefixes
      .filter((p) => p.family === family)
      .map((prefix) => ({ prefix, end: prefixEnd(prefix) }))
      .sort((a, b) =>
        a.prefix.start < b.prefix.start
          ? -1
          : a.prefix.start > b.prefix.start
            ? 1
            : a.prefix.length - b.prefix.length,
      );
    const enclosing: typeof sorted = [];
    for (const range of sorted) {
      while (enclosing.length > 0 && enclosing[enclosing.length - 1].end < range.prefix.start)
        enclosing.pop();
      const parent = enclosing[enclosing.length - 1];
      // Everything deeper in the stack was marked when the range above it was pushed.
      if (parent) overlapping.add(parent.prefix).add(range.prefix);
      enclosing.push(range);
    }
  }
  return overlapping;
}

/** Clashes between communities, checked in reading order. */
class CrossCheck {
  constructor(private readonly overlapCandidates: ReadonlySet<Prefix>) {}

  private readonly asns = new Map<number, string>();
  private readonly peers = new Map<string, string>();
  private readonly addresses: Record<Family, Map<string, string>> = { ipv4: new Map(), ipv6: new Map() };
  private readonly domains = new Map<string, string>();
  /** Accepted networks per family, sorted by start, for an overlap search by bisection. */
  private readonly networks: Record<Family, { prefix: Prefix; owner: string }[]> = { ipv4: [], ipv6: [] };

  check({ community: c, prefixes, addresses }: Candidate): Problem[] {
    const found: Problem[] = [];
    // The message is built only for a clash: this runs for every peer and domain of every community.
    const clash = (key: string, owner: string | undefined, what: () => string) => {
      if (owner === undefined || owner === c.name) return;
      found.push({
        community: c.name,
        key,
        severity: 'error',
        message: `${what()} is already used by ${quote(owner)}`,
      });
    };
    if (c.asn !== undefined) clash('asn', this.asns.get(c.asn), () => `ASN ${c.asn}`);
    let next = 0;
    for (const peer of c.bgp ?? []) {
      clash('bgp', this.peers.get(peer.name.toLowerCase()), () => `peer name ${quote(peer.name)}`);
      for (; addresses[next]?.peer === peer.name; next++) {
        const { family, address, key } = addresses[next];
        clash(`bgp.${peer.name}.${family}`, this.addresses[family].get(key), () => `address ${address}`);
      }
    }
    for (const domain of c.domains ?? [])
      clash('domains', this.domains.get(normalDomain(domain)), () => `domain ${quote(domain)}`);
    for (const prefix of prefixes) {
      if (this.overlapCandidates.has(prefix))
        clash(
          `networks.${prefix.family}`,
          this.overlapping(prefix),
          () => `network ${prefix.text} overlaps a network that`,
        );
    }
    return found;
  }

  add({ community: c, prefixes, addresses }: Candidate): void {
    if (c.asn !== undefined) this.asns.set(c.asn, c.name);
    for (const peer of c.bgp ?? []) this.peers.set(peer.name.toLowerCase(), c.name);
    for (const { family, key } of addresses) this.addresses[family].set(key, c.name);
    for (const domain of c.domains ?? []) this.domains.set(normalDomain(domain), c.name);
    for (const prefix of prefixes) {
      if (this.overlapCandidates.has(prefix)) this.addNetwork(prefix, c.name);
    }
  }

  /**
   * Keeps the list disjoint although a community may list nested networks of its own: a
   * network inside an accepted one is covered by it, one around accepted ones replaces them
   * (they can only be the same community's, or this one would have been rejected).
   */
  private addNetwork(prefix: Prefix, owner: string): void {
    const list = this.networks[prefix.family];
    const end = prefixEnd(prefix);
    let from = this.insertionPoint(list, prefix.start);
    const before = list[from - 1];
    if (before && prefixEnd(before.prefix) >= end) return;
    if (before && before.prefix.start === prefix.start) from--;
    let to = from;
    while (to < list.length && list[to].prefix.start <= end) to++;
    list.splice(from, to - from, { prefix, owner });
  }

  private insertionPoint(list: { prefix: Prefix }[], start: bigint): number {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid].prefix.start <= start) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The list is disjoint (see addNetwork), so only the neighbours around `p.start` can overlap `p`. */
  private overlapping(p: Prefix): string | undefined {
    const list = this.networks[p.family];
    const i = this.insertionPoint(list, p.start);
    const before = list[i - 1];
    if (before && prefixEnd(before.prefix) >= p.start) return before.owner;
    const after = list[i];
    if (after && after.prefix.start <= prefixEnd(p)) return after.owner;
    return undefined;
  }
}

function normalDomain(domain: string): string {
  return domain.toLowerCase().replace(/\.$/, '');
}
