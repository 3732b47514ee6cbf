import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareCodePoints } from './community.js';
import { CommunityValidator, type ValidationResult } from './community-validator.js';
import { type Prefix, parsePrefix, prefixContains } from './ip.js';
import type { RawCommunity } from './meta-reader.js';

function validate(files: RawCommunity[]): ValidationResult {
  const validator = new CommunityValidator();
  for (const file of files) validator.add(file);
  return validator.finish();
}

/** Nested and disjoint prefixes of both families, so random picks overlap often. */
const POOL = [
  '10.0.0.0/8',
  '10.1.0.0/16',
  '10.1.2.0/24',
  '10.1.3.0/24',
  '10.2.0.0/16',
  '10.2.128.0/17',
  '10.3.0.0/16',
  '10.200.0.0/16',
  'fd00::/8',
  'fd01::/16',
  'fd01:1::/32',
  'fd01:2::/48',
  'fd02::/16',
  'fd02:0:0:8000::/49',
];

function raw(name: string, networks: string[]): RawCommunity {
  const byFamily = new Map<string, string[]>();
  for (const n of networks) {
    const family = n.includes(':') ? 'ipv6' : 'ipv4';
    byFamily.set(family, [...(byFamily.get(family) ?? []), n]);
  }
  return { name, data: new Map<unknown, unknown>([['networks', byFamily]]) };
}

/** The rule, spelled out: in reading order, a community is rejected when one of its networks overlaps an accepted one of another community. */
function naiveRejected(communities: { name: string; networks: string[] }[]): string[] {
  const accepted: { name: string; prefixes: Prefix[] }[] = [];
  const rejected: string[] = [];
  const overlaps = (a: Prefix, b: Prefix) => prefixContains(a, b) || prefixContains(b, a);
  for (const c of communities) {
    const prefixes = c.networks.map((n) => parsePrefix(n) as Prefix);
    const clash = accepted.some(
      (a) => a.name !== c.name && a.prefixes.some((q) => prefixes.some((p) => overlaps(p, q))),
    );
    if (clash) rejected.push(c.name);
    else accepted.push({ name: c.name, prefixes });
  }
  return rejected;
}

describe('cross-community checks', () => {
  it('overlapping networks: the sorted sweep rejects exactly the communities the pairwise rule rejects', () => {
    const community = fc.uniqueArray(fc.constantFrom(...POOL), { maxLength: 4 });
    fc.assert(
      fc.property(fc.array(community, { minLength: 1, maxLength: 12 }), (lists) => {
        const communities = lists.map((networks, i) => ({ name: `c${i}`, networks }));
        const result = validate(communities.map((c) => raw(c.name, c.networks)));
        expect(result.rejected).toEqual(naiveRejected(communities));
        const accepted = new Set(result.communities.map((c) => c.name));
        for (const p of result.problems) {
          // Every overlap message names an accepted, truly overlapping owner.
          const owner = /already used by "(c\d+)"/.exec(p.message)?.[1];
          expect(owner && accepted.has(owner), p.message).toBe(true);
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('first file wins: duplicate ASN, peer name (any case), BGP address (any spelling), domain (any case)', () => {
    const file = (name: string, asn: number, peer: string, v6: string, domain: string): RawCommunity => ({
      name,
      data: new Map<unknown, unknown>([
        ['asn', asn],
        ['bgp', new Map([[peer, new Map([['ipv6', v6]])]])],
        ['domains', [domain]],
      ]),
    });
    const result = validate([
      file('alpha', 65001, 'alpha1', 'fec0::a:cf:1:1', 'ffalpha'),
      file('bravo', 65001, 'bravo1', 'fec0::a:cf:2:1', 'ffbravo'),
      file('charlie', 65003, 'ALPHA1', 'fec0::a:cf:3:1', 'ffcharlie'),
      file('delta', 65004, 'delta1', 'FEC0:0:0:0:A:CF:1:1', 'ffdelta'),
      file('echo', 65005, 'echo1', 'fec0::a:cf:5:1', 'FFAlpha.'),
      file('foxtrot', 65006, 'foxtrot1', 'fec0::a:cf:6:1', 'fffoxtrot'),
    ]);
    expect(result.communities.map((c) => c.name)).toEqual(['alpha', 'foxtrot']);
    expect(result.problems.map((p) => `${p.community} ${p.key}`)).toEqual([
      'bravo asn',
      'charlie bgp',
      'delta bgp.delta1.ipv6',
      'echo domains',
    ]);
  });

  it('reading order is code point order (Python sorted), beyond the BMP too', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (a, b) => {
        expect(Math.sign(compareCodePoints(a, b))).toBe(
          Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b))),
        );
      }),
      { numRuns: 3000 },
    );
    expect(['\u{1F600}', '\uFFFD', 'z'].sort(compareCodePoints)).toEqual(['z', '\uFFFD', '\u{1F600}']);
  });
});
