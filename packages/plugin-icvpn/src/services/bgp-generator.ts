import type { IpFamily } from '@ffphoton/core';
import type { Community, Problem } from './community.js';
import { generatedHeader } from './header.js';

export type BgpFormat = 'bird' | 'bird2' | 'quagga';

export interface BgpOptions {
  family: IpFamily;
  /** `bird` (bird 1, one file per family), `bird2` (adds the family's channel), `quagga` (also frr). */
  format: BgpFormat;
  /** Prepended to the peer name to make the protocol name / description. */
  prefix: string;
  /** Template (bird) or peer-group (quagga); mkbgp prints the word `None` when it is not given. */
  defaultTemplate?: string;
  /** Per-community template, matched case-sensitively against the community name. */
  templates: Readonly<Record<string, string>>;
  /** Appended as `%interface` to link-local IPv6 peers. */
  interface: string;
}

export interface BgpPeerEntry {
  community: string;
  asn: number;
  /** Protocol name (bird: cut to 32 characters) or quagga description. */
  name: string;
  /** Neighbour address as written, plus `%interface` for link-local peers. */
  address: string;
  template: string;
}

/** mkbgp cuts `prefix + name` to this length. */
const MKBGP_NAME_LENGTH = 32;
/** bird's own limit ("Symbol too long" above it). */
const BIRD_SYMBOL_LENGTH = 64;

/**
 * mkbgp's peer selection: communities with `bgp` and `asn`, peers sorted by name, the chosen
 * family only. Bird names are mkbgp's, except where two of them collide after the cut (bird
 * would refuse the whole file): those peers keep their whole name, and a peer whose whole name
 * is longer than bird accepts is left out with a problem in `problems`.
 */
export function selectBgpPeers(
  communities: readonly Community[],
  options: BgpOptions,
  problems: Problem[] = [],
): BgpPeerEntry[] {
  const peers: BgpPeerEntry[] = [];
  for (const community of communities) {
    if (!community.bgp || community.asn === undefined) continue;
    for (const peer of community.bgp) {
      const address = peer[options.family];
      if (!address) continue;
      const name = options.prefix + peer.name;
      peers.push({
        community: community.name,
        asn: community.asn,
        name,
        address: isLinkLocal(address, options.family) ? `${address}%${options.interface}` : address,
        template: options.templates[community.name] ?? options.defaultTemplate ?? 'None',
      });
    }
  }
  return options.format === 'quagga' ? peers : birdNames(peers, options.family, problems);
}

/** Entries are this module's own objects, so the names are set in place. */
function birdNames(peers: BgpPeerEntry[], family: IpFamily, problems: Problem[]): BgpPeerEntry[] {
  const cuts = peers.map((p) => p.name.slice(0, MKBGP_NAME_LENGTH));
  const counts = new Map<string, number>();
  for (const cut of cuts) counts.set(cut.toLowerCase(), (counts.get(cut.toLowerCase()) ?? 0) + 1);
  let refused = false;
  for (const [i, p] of peers.entries()) {
    if (counts.get(cuts[i].toLowerCase()) === 1) p.name = cuts[i];
    else if (p.name.length > BIRD_SYMBOL_LENGTH) {
      refused = true;
      problems.push({
        community: p.community,
        key: 'bgp',
        severity: 'error',
        message: `protocol name ${p.name} collides with another after mkbgp's cut to ${MKBGP_NAME_LENGTH} characters and is longer than bird's ${BIRD_SYMBOL_LENGTH}`,
        leftOut: ['bgp'],
        part: `peer ${p.name} (${family})`,
      });
    }
  }
  return refused ? peers.filter((p) => p.name.length <= BIRD_SYMBOL_LENGTH) : peers;
}

/** fe80::/10: a first group fe80…febf (`address` is a valid literal, so the group has at most four digits). */
const LINK_LOCAL_GROUP = /^fe[89ab][0-9a-f]:/i;

function isLinkLocal(address: string, family: IpFamily): boolean {
  return family === 'ipv6' && LINK_LOCAL_GROUP.test(address);
}

/** Renders the peers byte for byte like mkbgp; `passive` holds the addresses that did not answer. */
export function renderBgp(
  peers: readonly BgpPeerEntry[],
  options: BgpOptions,
  passive: ReadonlySet<string>,
): string {
  const parts = [generatedHeader(options.format === 'quagga' ? '!' : '#')];
  for (const p of peers) {
    if (options.format === 'quagga') {
      const lines = [
        `neighbor ${p.address} remote-as ${p.asn}`,
        `neighbor ${p.address} description ${p.name}`,
        `neighbor ${p.address} peer-group ${p.template}`,
      ];
      parts.push(`\n${lines.join('\n')}`);
      if (passive.has(p.address)) parts.push(`neighbor ${p.address} passive`);
      continue;
    }
    parts.push(`\nprotocol bgp ${p.name} from ${p.template} {\n    neighbor ${p.address} as ${p.asn};`);
    if (options.format === 'bird2') parts.push(`    ${options.family};`);
    if (passive.has(p.address)) parts.push('    passive yes;');
    parts.push('}\n');
  }
  return `${parts.join('\n')}\n`;
}
