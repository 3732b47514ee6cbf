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

/** The rule, spelled out: in reading order, a network is dropped when it overlaps a kept one of another community. */
function naiveKept(communities: { name: string; networks: string[] }[]): Record<string, string[]> {
  const kept: { name: string; prefix: Prefix }[] = [];
  const result: Record<string, string[]> = {};
  const overlaps = (a: Prefix, b: Prefix) => prefixContains(a, b) || prefixContains(b, a);
  for (const c of communities) {
    const own = c.networks
      .map((n) => parsePrefix(n) as Prefix)
      .filter((p) => !kept.some((k) => k.name !== c.name && overlaps(k.prefix, p)));
    kept.push(...own.map((prefix) => ({ name: c.name, prefix })));
    result[c.name] = own.map((p) => p.text);
  }
  return result;
}

describe('cross-community checks', () => {
  it('overlapping networks: the sorted sweep drops exactly the networks the pairwise rule drops, from roa only', () => {
    const community = fc.uniqueArray(fc.constantFrom(...POOL), { maxLength: 4 });
    fc.assert(
      fc.property(fc.array(community, { minLength: 1, maxLength: 12 }), (lists) => {
        const communities = lists.map((networks, i) => ({ name: `c${i}`, networks }));
        const result = validate(communities.map((c) => raw(c.name, c.networks)));
        expect(result.rejected).toEqual([]);
        const kept = Object.fromEntries(
          result.communities.map((c) => [c.name, [...(c.networks?.ipv4 ?? []), ...(c.networks?.ipv6 ?? [])]]),
        );
        const expected = naiveKept(communities);
        for (const c of communities)
          expect(kept[c.name].sort(), c.name).toEqual([...expected[c.name]].sort());
        for (const p of result.problems.filter((p) => p.severity === 'error')) {
          // Every overlap message names the owner of a kept network and leaves out only that network.
          const owner = /already used by "(c\d+)"/.exec(p.message)?.[1];
          expect(owner && kept[owner].length > 0, p.message).toBe(true);
          expect(p).toMatchObject({ leftOut: ['roa'], part: expect.stringMatching(/^network /) });
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
    expect(result.rejected).toEqual([]);
    expect(result.problems.map((p) => `${p.community} ${p.key} ${p.leftOut} ${p.part ?? ''}`)).toEqual([
      'bravo asn bgp,roa ',
      'charlie bgp bgp peer ALPHA1',
      'delta bgp.delta1.ipv6 bgp peer delta1 (ipv6)',
      'echo domains dns ',
    ]);
    // Only the clashing value is gone; everything else of the later community stays.
    const [alpha, bravo, charlie, delta, echo] = result.communities;
    expect(alpha).toMatchObject({ asn: 65001, domains: ['ffalpha'] });
    expect(bravo.asn).toBeUndefined();
    expect(bravo).toMatchObject({ domains: ['ffbravo'], bgp: [{ name: 'bravo1' }] });
    expect(charlie).toMatchObject({ asn: 65003, bgp: [], domains: ['ffcharlie'] });
    expect(delta).toMatchObject({ asn: 65004, bgp: [{ name: 'delta1' }], domains: ['ffdelta'] });
    expect(delta.bgp?.[0].ipv6).toBeUndefined();
    expect(echo.domains).toBeUndefined();
    expect(echo).toMatchObject({ asn: 65005, bgp: [{ name: 'echo1', ipv6: 'fec0::a:cf:5:1' }] });
  });

  it('a reverse zone outside its own networks is a warning, and refused from dns once it reaches another community', () => {
    const file = (name: string, network: string, domains: string[]): RawCommunity => ({
      name,
      data: new Map<unknown, unknown>([
        ['asn', 65000 + name.charCodeAt(0)],
        ['networks', new Map([['ipv4', [network]]])],
        ['domains', domains],
        ['nameservers', ['10.0.0.53']],
      ]),
    });
    const result = validate([
      // A /16 zone for a /18 network: check's rounding, no finding at all.
      file('kilo', '10.11.0.0/18', ['ffkilo', '11.10.in-addr.arpa', '128/18.24.10.in-addr.arpa']),
      file('lima', '10.12.0.0/16', ['fflima', '24.10.in-addr.arpa.']),
      file('mike', '10.24.128.0/18', ['ffmike']),
    ]);
    expect(result.problems.map((p) => `${p.severity} ${p.community}: ${p.message}`)).toEqual([
      'warning kilo: reverse zone "128/18.24.10.in-addr.arpa" lies outside the community\'s own networks',
      'warning lima: reverse zone "24.10.in-addr.arpa." lies outside the community\'s own networks',
      'error kilo: reverse zone "128/18.24.10.in-addr.arpa" reaches network 10.24.128.0/18 of "mike"',
      'error lima: reverse zone "24.10.in-addr.arpa." reaches network 10.24.128.0/18 of "mike"',
    ]);
    expect(result.communities.map((c) => c.domains)).toEqual([undefined, undefined, ['ffmike']]);
    // Without mike nobody's reverse names are captured: the zones stay.
    const alone = validate([file('kilo', '10.11.0.0/18', ['ffkilo', '128/18.24.10.in-addr.arpa'])]);
    expect(alone.communities[0].domains).toEqual(['ffkilo', '128/18.24.10.in-addr.arpa']);
    expect(alone.problems.map((p) => p.severity)).toEqual(['warning']);
  });

  it('reverse zones reaching other communities: the index finds exactly what a pairwise scan finds', () => {
    const ZONES: Record<string, string> = {
      '10.0.0.0/8': '10.in-addr.arpa',
      '10.1.0.0/16': '1.10.in-addr.arpa',
      '10.1.2.0/24': '2.1.10.in-addr.arpa',
      '10.1.3.0/24': '3.1.10.in-addr.arpa',
      '10.2.0.0/16': '2.10.in-addr.arpa',
      '10.2.128.0/17': '128/17.2.10.in-addr.arpa',
      '10.3.0.0/16': '3.10.in-addr.arpa',
      '10.200.0.0/16': '200.10.in-addr.arpa',
    };
    const v4 = Object.keys(ZONES);
    const community = fc.record({
      networks: fc.uniqueArray(fc.constantFrom(...v4), { maxLength: 3 }),
      zones: fc.uniqueArray(fc.constantFrom(...v4), { maxLength: 2 }),
    });
    fc.assert(
      fc.property(fc.array(community, { minLength: 1, maxLength: 10 }), (list) => {
        const files = list.map(({ networks, zones }, i) => {
          const file = raw(`c${i}`, networks);
          (file.data as Map<unknown, unknown>).set(
            'domains',
            zones.map((z) => ZONES[z]),
          );
          (file.data as Map<unknown, unknown>).set('nameservers', ['10.0.0.53']);
          return file;
        });
        const result = validate(files);
        const kept = result.communities.map((c) =>
          (c.networks?.ipv4 ?? []).map((n) => parsePrefix(n) as Prefix),
        );
        const overlaps = (a: Prefix, b: Prefix) => prefixContains(a, b) || prefixContains(b, a);
        list.forEach(({ networks, zones }, i) => {
          const own = networks.map((n) => parsePrefix(n) as Prefix);
          const rounded = own.map((p) => ({ ...p, length: p.length - (p.length % 8) }));
          const captures = zones.some((z) => {
            const zone = parsePrefix(z) as Prefix;
            if (rounded.some((r) => prefixContains(r, zone))) return false;
            return kept.some((other, j) => j !== i && other.some((p) => overlaps(p, zone)));
          });
          const clash = result.problems.some(
            (p) =>
              p.community === `c${i}` &&
              p.severity === 'error' &&
              p.leftOut?.includes('dns') &&
              !/reaches/.test(p.message),
          );
          // Domains already dropped by a clash (duplicate domain, a network lost to another community).
          if (!clash) expect(result.communities[i].domains === undefined, `c${i}`).toBe(captures);
        });
      }),
      { numRuns: 1000 },
    );
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
