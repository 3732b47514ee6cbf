import {
  addressKey,
  familyOf,
  type IpFamily,
  type ParsedIp,
  type Prefix,
  type PrefixOptions,
  parseIp,
  parsePrefix,
  prefixContains,
  prefixEnd,
  supernet,
} from '@ffphoton/core';
import {
  type BgpPeer,
  type Community,
  type Delegation,
  META_OUTPUTS,
  type OutputKind,
  type Problem,
  quote,
} from './community.js';
import { domainNameProblem, normalDomain, reverseZonePrefix, reverseZoneRounding } from './dns-names.js';
import type { RawCommunity } from './meta-reader.js';
import { LINK_LOCAL_V6, TRANSFER, TRANSFER_NETWORKS } from './transfer-networks.js';

/** icvpn-meta's networks must be written as networks: `10.1.2.0/16` is a typo, not 10.1.0.0/16. */
const STRICT: PrefixOptions = { hostBits: 'refuse' };

/** Community (file) names as they occur in icvpn-meta: `Rheinland_Sandbox`, `gera-greiz`. */
export const COMMUNITY_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
/** tinc node-name characters without the dash that `check` forbids ("breaks bird/bird cli"). */
export const PEER_NAME = /^[A-Za-z0-9_]+$/;
const MAX_ASN = 4_294_967_295;
const FAMILIES: IpFamily[] = ['ipv4', 'ipv6'];

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
 * Validates parsed community files by the rules of icvpn-scripts' `check`, keeping every bad
 * value out of exactly the outputs it would reach: a community is left out whole only when its
 * file name or document is unusable. Cross-community clashes (duplicate ASN, peer, BGP address,
 * domain, overlapping networks) drop the later file's value in reading order.
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
    if (community)
      this.candidates.push({
        community,
        prefixes: local.prefixes,
        addresses: local.addresses,
        foreignZones: local.foreignZones,
      });
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
    for (const candidate of this.candidates) {
      problems.push(...clashes.check(candidate));
      clashes.add(candidate);
    }
    problems.push(...foreignZoneCaptures(this.candidates));
    return { communities: this.candidates.map((c) => c.community), problems, rejected: [...rejected] };
  }
}

/** A valid BGP address of a peer, with its canonical spelling for the duplicate check. */
interface PeerAddress {
  peer: string;
  family: IpFamily;
  address: string;
  key: string;
}

/** A community that passed its own rules, waiting for the cross-community check. */
interface Candidate {
  community: Community;
  prefixes: Prefix[];
  addresses: PeerAddress[];
  /** Reverse zones outside the community's own networks: refused if they reach another's. */
  foreignZones: Prefix[];
}

/** Code-unit order, as mkbgp's sort of peer names. */
function compareUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** What a bad value of each key keeps out. */
const BGP: readonly OutputKind[] = ['bgp'];
const ROA: readonly OutputKind[] = ['roa'];
const DNS: readonly OutputKind[] = ['dns'];
const BGP_ROA: readonly OutputKind[] = ['bgp', 'roa'];

/**
 * The per-file rules. A bad value is dropped from the community with an error naming what it
 * keeps out (a peer from bgp, a network from roa, the community's zones from dns …); only an
 * unusable file name or document drops the whole community.
 */
class CommunityCheck {
  readonly problems: Problem[] = [];
  readonly prefixes: Prefix[] = [];
  readonly addresses: PeerAddress[] = [];
  readonly foreignZones: Prefix[] = [];

  constructor(
    private readonly name: string,
    private readonly options: ValidationOptions,
  ) {}

  private error(key: string, message: string, leftOut: readonly OutputKind[], part?: string): void {
    this.problems.push({
      community: this.name,
      key,
      severity: 'error',
      message,
      leftOut,
      ...(part && { part }),
    });
  }

  private warn(key: string, message: string): void {
    this.problems.push({ community: this.name, key, severity: 'warning', message });
  }

  run(doc: unknown): Community | undefined {
    if (!COMMUNITY_NAME.test(this.name)) {
      this.error('(file name)', 'community name must match [A-Za-z0-9][A-Za-z0-9_-]*', META_OUTPUTS);
      return undefined;
    }
    if (!(doc instanceof Map)) {
      this.error(
        '(file)',
        `top level must be a mapping, found ${doc === null ? 'an empty document' : typeof doc}`,
        META_OUTPUTS,
      );
      return undefined;
    }
    const community: Community = { name: this.name };
    if (doc.has('asn')) {
      const asn = this.asn('asn', doc.get('asn'), BGP_ROA);
      if (asn !== undefined) community.asn = asn;
    }
    if (doc.has('networks')) community.networks = this.networks(doc.get('networks'));
    if (doc.has('bgp')) {
      community.bgp = this.bgp(doc.get('bgp'));
      if (!doc.has('asn')) this.error('bgp', 'a bgp block needs an asn', BGP);
    }
    if (doc.has('domains')) {
      const domains = this.domains(doc.get('domains'));
      if (domains) community.domains = domains;
    }
    if (doc.has('nameservers')) {
      const servers = this.nameservers(doc.get('nameservers'));
      if (servers) community.nameservers = servers;
      else delete community.domains;
    }
    if (doc.has('nameserver')) this.warn('nameserver', 'unknown key, did you mean "nameservers"?');
    if (doc.has('delegate')) community.delegate = this.delegate(doc.get('delegate'));
    return community;
  }

  private asn(
    key: string,
    value: unknown,
    leftOut: readonly OutputKind[],
    part?: string,
  ): number | undefined {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_ASN) {
      this.error(key, `ASN ${quote(value)} is not an integer in 1..${MAX_ASN}`, leftOut, part);
      return undefined;
    }
    return value;
  }

  private list(
    key: string,
    value: unknown,
    leftOut: readonly OutputKind[],
    part?: string,
  ): unknown[] | undefined {
    if (Array.isArray(value)) return value;
    this.error(key, `expected a list, found ${quote(value)}`, leftOut, part);
    return undefined;
  }

  /** `value` if it is a mapping; else reports "expected a mapping {what}". */
  private map(
    key: string,
    value: unknown,
    what: string,
    leftOut: readonly OutputKind[],
    part?: string,
  ): Map<unknown, unknown> | undefined {
    if (value instanceof Map) return value;
    this.error(key, `expected a mapping ${what}`, leftOut, part);
    return undefined;
  }

  /** The valid networks; a bad one is left out of the ROA table (and no reverse zone can lie in it). */
  private networks(value: unknown): Community['networks'] {
    const map = this.map('networks', value, 'with ipv4 and/or ipv6', ROA);
    if (!map) return undefined;
    const networks: Community['networks'] = {};
    for (const [family, list] of map) {
      if (family !== 'ipv4' && family !== 'ipv6') {
        this.warn('networks', `unknown family ${quote(family)}, ignored`);
        continue;
      }
      const texts: string[] = [];
      for (const text of this.list(`networks.${family}`, list, ROA) ?? []) {
        const prefix = this.prefix(`networks.${family}`, text, ROA, family);
        if (!prefix) continue;
        this.prefixes.push(prefix);
        texts.push(prefix.text);
      }
      networks[family] = texts;
    }
    this.nestedNetworks();
    return networks;
  }

  /** check calls them an overlap; within one community it is the community's own business. */
  private nestedNetworks(): void {
    const own = this.prefixes;
    for (const [i, inner] of own.entries()) {
      const outer = own.find(
        (p, j) => j !== i && prefixContains(p, inner) && (p.length < inner.length || j < i),
      );
      if (outer)
        this.warn(
          `networks.${inner.family}`,
          `${quote(inner.text)} lies within the community's own ${quote(outer.text)}`,
        );
    }
  }

  private prefix(
    key: string,
    text: unknown,
    leftOut: readonly OutputKind[],
    family?: IpFamily,
    part = `network ${quote(text)}`,
  ): Prefix | undefined {
    const parsed = typeof text === 'string' ? parsePrefix(text, STRICT) : 'not a string';
    if (typeof parsed === 'string') {
      this.error(key, `${quote(text)} is ${parsed}`, leftOut, part);
      return undefined;
    }
    if (family && parsed.family !== family) {
      this.error(key, `${quote(text)} is not an ${family} prefix`, leftOut, part);
      return undefined;
    }
    return parsed;
  }

  /** The usable peers; a bad name leaves out the peer, a bad address only that family's session. */
  private bgp(value: unknown): BgpPeer[] {
    const map = this.map('bgp', value, 'of peer names', BGP);
    if (!map) return [];
    const peers: BgpPeer[] = [];
    for (const [rawName, rawPeer] of map) {
      const name = typeof rawName === 'number' ? String(rawName) : rawName;
      if (typeof name !== 'string' || !PEER_NAME.test(name)) {
        this.error(
          'bgp',
          `peer name ${quote(rawName)} contains characters outside [A-Za-z0-9_]`,
          BGP,
          `peer ${quote(rawName)}`,
        );
        continue;
      }
      const addresses = this.map(`bgp.${name}`, rawPeer, 'with ipv4 and/or ipv6', BGP, `peer ${name}`);
      if (!addresses) continue;
      const peer: BgpPeer = { name };
      const ips: Partial<Record<IpFamily, ParsedIp>> = {};
      for (const [family, address] of addresses) {
        if (family !== 'ipv4' && family !== 'ipv6') {
          this.warn(`bgp.${name}`, `unknown family ${quote(family)}, ignored`);
          continue;
        }
        const ip = this.transferAddress(`bgp.${name}.${family}`, family, address, `peer ${name} (${family})`);
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
  private transferAddress(
    key: string,
    family: IpFamily,
    address: unknown,
    part: string,
  ): ParsedIp | undefined {
    const ip = typeof address === 'string' ? parseIp(address) : undefined;
    if (!ip || ip.family !== family) {
      this.error(key, `${quote(address)} is not an ${family} address`, BGP, part);
      return undefined;
    }
    if (TRANSFER[family].contains(ip)) return ip;
    if (family === 'ipv6' && this.options.allowLinkLocal && LINK_LOCAL_V6.contains(ip)) return ip;
    this.error(
      key,
      `${quote(address)} lies outside the transfer network ${TRANSFER_NETWORKS[family]}`,
      BGP,
      part,
    );
    return undefined;
  }

  /** check's convention: the last 8 bits of the IPv4 address equal the last 16 of the IPv6 address. */
  private matchingLowBits(name: string, ips: Partial<Record<IpFamily, ParsedIp>>): void {
    if (!ips.ipv4 || !ips.ipv6) return;
    const v6 = ips.ipv6.bytes;
    if (ips.ipv4.bytes[3] !== v6[14] * 256 + v6[15])
      this.warn(`bgp.${name}`, 'IPv4 and IPv6 transfer addresses do not match');
  }

  /** The domains, or undefined (the community's DNS entries are left out) when any of them is unsafe. */
  private domains(value: unknown): string[] | undefined {
    const list = this.list('domains', value, DNS);
    if (!list) return undefined;
    const seen = new Set<string>();
    let refused = false;
    for (const domain of list) {
      const problem = domainNameProblem(domain) ?? this.domainPlace(domain as string, seen);
      if (problem === undefined) continue;
      this.error('domains', `${quote(domain)} ${problem}`, DNS);
      refused = true;
    }
    return refused ? undefined : (list as string[]);
  }

  /**
   * No name twice. A reverse zone should lie within a network of the community, rounded down to
   * the octet (nibble) as check does; one outside is a warning here and refused only when it
   * reaches another community's network (CrossCheck), so a registry quirk costs no zone.
   */
  private domainPlace(domain: string, seen: Set<string>): string | undefined {
    const name = normalDomain(domain);
    if (seen.has(name)) return 'is listed twice';
    seen.add(name);
    const zone = reverseZonePrefix(domain);
    if (typeof zone === 'string') return `is not a reverse zone name: ${zone}`;
    if (zone === undefined) return undefined;
    const rounding = reverseZoneRounding(zone.family);
    const inOwn = this.prefixes.some((own) =>
      prefixContains(supernet(own, own.length - (own.length % rounding)), zone),
    );
    if (!inOwn) {
      this.warn('domains', `reverse zone ${quote(domain)} lies outside the community's own networks`);
      this.foreignZones.push(zone);
    }
    return undefined;
  }

  /** The nameservers, or undefined (the community's DNS entries are left out) when any is not an IP. */
  private nameservers(value: unknown): string[] | undefined {
    const list = this.list('nameservers', value, DNS);
    if (!list) return undefined;
    let refused = false;
    for (const server of list) {
      if (typeof server === 'string' && familyOf(server)) continue;
      this.error('nameservers', `${quote(server)} is not an IP address`, DNS);
      refused = true;
    }
    return refused ? undefined : (list as string[]);
  }

  /** The valid delegations; a bad one is left out of the ROA table. */
  private delegate(value: unknown): Delegation[] {
    const map = this.map('delegate', value, 'of ASN to prefixes', ROA, 'delegations');
    if (!map) return [];
    const delegations: Delegation[] = [];
    for (const [rawAsn, list] of map) {
      const part = `delegation to ${quote(rawAsn)}`;
      const asn = this.asn('delegate', rawAsn, ROA, part);
      const prefixes: string[] = [];
      for (const text of this.list(`delegate.${rawAsn}`, list, ROA, part) ?? []) {
        const prefix = this.prefix(`delegate.${rawAsn}`, text, ROA, undefined, `delegation ${quote(text)}`);
        if (!prefix) continue;
        if (!this.prefixes.some((own) => prefixContains(own, prefix))) {
          this.error(
            `delegate.${rawAsn}`,
            `${quote(text)} is not within the community's own networks`,
            ROA,
            `delegation ${quote(text)}`,
          );
          continue;
        }
        prefixes.push(prefix.text);
      }
      if (asn !== undefined) delegations.push({ asn, prefixes });
    }
    return delegations;
  }
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

/**
 * A reverse zone outside its community's networks that reaches another community's network
 * would capture that community's reverse names: the zone's community is left out of dns.
 */
function foreignZoneCaptures(candidates: readonly Candidate[]): Problem[] {
  const problems: Problem[] = [];
  if (!candidates.some((c) => c.foreignZones.length > 0)) return problems;
  const index = new NetworkIndex(candidates);
  for (const { community: c, foreignZones } of candidates) {
    for (const zone of foreignZones) {
      const other = c.domains && index.reaching(zone, c.name);
      if (!other) continue;
      problems.push({
        community: c.name,
        key: 'domains',
        severity: 'error',
        message: `reverse zone ${quote(zone.text)} reaches network ${other.prefix.text} of ${quote(other.owner)}`,
        leftOut: DNS,
      });
      delete c.domains;
    }
  }
  return problems;
}

/**
 * Every kept network by start, for "which other community's network does this zone reach".
 * Networks of different communities never overlap (CrossCheck dropped those), so a network that
 * contains the zone is the one reaching farthest among those starting at or before it; networks
 * inside the zone start within it.
 */
class NetworkIndex {
  private readonly sorted: Record<IpFamily, { prefix: Prefix; owner: string; end: bigint }[]> = {
    ipv4: [],
    ipv6: [],
  };
  /** Per position: the entry with the largest end up to there. */
  private readonly farthest: Record<IpFamily, number[]> = { ipv4: [], ipv6: [] };

  constructor(candidates: readonly Candidate[]) {
    for (const { community, prefixes } of candidates)
      for (const prefix of prefixes)
        this.sorted[prefix.family].push({ prefix, owner: community.name, end: prefixEnd(prefix) });
    for (const family of FAMILIES) {
      const list = this.sorted[family].sort((x, y) =>
        x.prefix.start < y.prefix.start ? -1 : x.prefix.start > y.prefix.start ? 1 : 0,
      );
      let best = -1;
      this.farthest[family] = list.map((entry, i) => {
        if (best < 0 || entry.end > list[best].end) best = i;
        return best;
      });
    }
  }

  /** A network of a community other than `self` that overlaps `zone`, if any. */
  reaching(zone: Prefix, self: string): { prefix: Prefix; owner: string } | undefined {
    const list = this.sorted[zone.family];
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid].prefix.start <= zone.start) lo = mid + 1;
      else hi = mid;
    }
    const around = lo > 0 ? list[this.farthest[zone.family][lo - 1]] : undefined;
    if (around && around.end >= zone.start && around.owner !== self) return around;
    const end = prefixEnd(zone);
    for (let i = lo - 1; i >= 0 && list[i].prefix.start === zone.start; i--)
      if (list[i].owner !== self) return list[i];
    for (let i = lo; i < list.length && list[i].prefix.start <= end; i++)
      if (list[i].owner !== self) return list[i];
    return undefined;
  }
}

type ClashReporter = (
  key: string,
  owner: string | undefined,
  what: () => string,
  leftOut: readonly OutputKind[],
  part?: () => string,
) => boolean;

/**
 * Takes a network another community owns out of `c`: its ROA entry, the delegations inside it
 * and, when a reverse zone of `c` overlaps it, all of `c`'s DNS entries. True if zones were dropped.
 */
function dropNetwork(c: Community, prefix: Prefix): boolean {
  const list = c.networks?.[prefix.family];
  if (list) c.networks = { ...c.networks, [prefix.family]: list.filter((t) => t !== prefix.text) };
  for (const d of c.delegate ?? [])
    d.prefixes = d.prefixes.filter((t) => {
      const inner = parsePrefix(t, STRICT);
      return typeof inner === 'string' || !prefixContains(prefix, inner);
    });
  const zones = c.domains?.some((d) => {
    const zone = reverseZonePrefix(d);
    return typeof zone === 'object' && (prefixContains(zone, prefix) || prefixContains(prefix, zone));
  });
  if (zones) delete c.domains;
  return zones === true;
}

/** Clashes between communities, checked in reading order. */
class CrossCheck {
  constructor(private readonly overlapCandidates: ReadonlySet<Prefix>) {}

  private readonly asns = new Map<number, string>();
  private readonly peers = new Map<string, string>();
  private readonly addresses: Record<IpFamily, Map<string, string>> = { ipv4: new Map(), ipv6: new Map() };
  private readonly domains = new Map<string, string>();
  /** Accepted networks per family, sorted by start, for an overlap search by bisection. */
  private readonly networks: Record<IpFamily, { prefix: Prefix; owner: string }[]> = { ipv4: [], ipv6: [] };

  /** Reports the candidate's clashes with earlier communities and drops the clashing values from it. */
  check(candidate: Candidate): Problem[] {
    const c = candidate.community;
    const found: Problem[] = [];
    // The message is built only for a clash: this runs for every peer and domain of every community.
    const clash = (
      key: string,
      owner: string | undefined,
      what: () => string,
      leftOut: readonly OutputKind[],
      part?: () => string,
    ): boolean => {
      // Only earlier communities are registered: an owner is always another one.
      if (owner === undefined) return false;
      const message = `${what()} is already used by ${quote(owner)}`;
      found.push({
        community: c.name,
        key,
        severity: 'error',
        message,
        leftOut,
        ...(part && { part: part() }),
      });
      return true;
    };
    if (c.asn !== undefined && clash('asn', this.asns.get(c.asn), () => `ASN ${c.asn}`, BGP_ROA))
      delete c.asn;
    this.checkPeers(candidate, clash);
    if (
      c.domains?.some((d) =>
        clash('domains', this.domains.get(normalDomain(d)), () => `domain ${quote(d)}`, DNS),
      )
    )
      delete c.domains;
    let droppedNetworks = false;
    for (const prefix of candidate.prefixes) {
      if (!this.overlapCandidates.has(prefix)) continue;
      const owner = this.overlapping(prefix);
      if (owner === undefined) continue;
      droppedNetworks = true;
      const zones = dropNetwork(c, prefix);
      clash(
        `networks.${prefix.family}`,
        owner,
        () => `network ${prefix.text} overlaps a network that`,
        zones ? ['roa', 'dns'] : ROA,
        () => `network ${prefix.text}${zones ? ' (and the reverse zones in it)' : ''}`,
      );
    }
    if (droppedNetworks)
      candidate.prefixes = candidate.prefixes.filter((p) => c.networks?.[p.family]?.includes(p.text));
    return found;
  }

  /**
   * A clashing peer name drops the peer, a clashing address only that family's session. The
   * lists are rebuilt only after a clash: this runs for every community.
   */
  private checkPeers(candidate: Candidate, clash: ClashReporter): void {
    const { addresses } = candidate;
    const peers = candidate.community.bgp ?? [];
    let droppedPeers: Set<BgpPeer> | undefined;
    let droppedAddresses: Set<PeerAddress> | undefined;
    let next = 0;
    for (const peer of peers) {
      const first = next;
      while (addresses[next]?.peer === peer.name) next++;
      const peerClash = clash(
        'bgp',
        this.peers.get(peer.name.toLowerCase()),
        () => `peer name ${quote(peer.name)}`,
        BGP,
        () => `peer ${peer.name}`,
      );
      if (peerClash) {
        droppedPeers ??= new Set();
        droppedPeers.add(peer);
      }
      for (let i = first; i < next; i++) {
        const a = addresses[i];
        const addressClash =
          peerClash ||
          clash(
            `bgp.${peer.name}.${a.family}`,
            this.addresses[a.family].get(a.key),
            () => `address ${a.address}`,
            BGP,
            () => `peer ${peer.name} (${a.family})`,
          );
        if (!addressClash) continue;
        delete peer[a.family];
        droppedAddresses ??= new Set();
        droppedAddresses.add(a);
      }
    }
    if (droppedPeers) candidate.community.bgp = peers.filter((p) => !droppedPeers.has(p));
    if (droppedAddresses) candidate.addresses = addresses.filter((a) => !droppedAddresses.has(a));
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
