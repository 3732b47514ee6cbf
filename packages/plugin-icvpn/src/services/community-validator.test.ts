import { type Prefix, parsePrefix, parseYamlDocument, prefixContains, supernet } from '@ffphoton/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareCodePoints, formatProblem } from './community.js';
import { CommunityValidator, type ValidationOptions, type ValidationResult } from './community-validator.js';
import type { RawCommunity } from './meta-reader.js';

const STRICT = { hostBits: 'refuse' } as const;

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
      .map((n) => parsePrefix(n, STRICT) as Prefix)
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
          (c.networks?.ipv4 ?? []).map((n) => parsePrefix(n, STRICT) as Prefix),
        );
        const overlaps = (a: Prefix, b: Prefix) => prefixContains(a, b) || prefixContains(b, a);
        list.forEach(({ networks, zones }, i) => {
          const own = networks.map((n) => parsePrefix(n, STRICT) as Prefix);
          const rounded = own.map((p) => supernet(p, p.length - (p.length % 8)));
          const captures = zones.some((z) => {
            const zone = parsePrefix(z, STRICT) as Prefix;
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

/** A community document as the YAML parser hands it over (mappings as Maps). */
function yaml(text: string): unknown {
  return parseYamlDocument(text).toJS({ mapAsMap: true });
}

/** The whole result of validating YAML files in order; problems as the log lines they become. */
function check(files: Record<string, string>, options: ValidationOptions = {}) {
  const validator = new CommunityValidator(options);
  for (const [name, text] of Object.entries(files)) validator.add({ name, data: yaml(text) });
  const result = validator.finish();
  return { ...result, problems: result.problems.map((p) => `${p.severity} ${formatProblem(p)}`) };
}

describe('per-file rules: a bad value is left out of its own outputs only', () => {
  it('community names: [A-Za-z0-9] first, then [A-Za-z0-9_-], nothing before or after', () => {
    const names = [
      'a',
      'Z9',
      'gera-greiz',
      'Rheinland_Sandbox',
      '0-_',
      '-a',
      '_a',
      'a!',
      '!a',
      'a b',
      'a.b',
      '',
    ];
    const result = check(Object.fromEntries(names.map((n) => [n, '{}'])));
    expect(result.communities.map((c) => c.name)).toEqual([
      'a',
      'Z9',
      'gera-greiz',
      'Rheinland_Sandbox',
      '0-_',
    ]);
    expect(result.rejected).toEqual(['-a', '_a', 'a!', '!a', 'a b', 'a.b', '']);
    expect(result.problems).toEqual(
      ['-a', '_a', 'a!', '!a', 'a b', 'a.b', ''].map(
        (n) =>
          `error ${JSON.stringify(n)}: (file name): community name must match [A-Za-z0-9][A-Za-z0-9_-]*; left out of every output`,
      ),
    );
  });

  it('the top level must be a mapping: empty, list and scalar documents are refused whole', () => {
    const result = check({ empty: '', list: '- asn: 65001\n', text: 'asn 65001\n', number: '65001\n' });
    expect(result).toEqual({
      communities: [],
      rejected: ['empty', 'list', 'text', 'number'],
      problems: [
        'error "empty": (file): top level must be a mapping, found an empty document; left out of every output',
        'error "list": (file): top level must be a mapping, found object; left out of every output',
        'error "text": (file): top level must be a mapping, found string; left out of every output',
        'error "number": (file): top level must be a mapping, found number; left out of every output',
      ],
    });
  });

  it('ASNs: integers in 1..4294967295 only', () => {
    const values = ['0', '1', '4294967295', '4294967296', '-1', '1.5', '"65001"', 'null'];
    const result = check(Object.fromEntries(values.map((v, i) => [`c${i}`, `asn: ${v}\n`])));
    expect(result.communities).toEqual([
      { name: 'c0' },
      { name: 'c1', asn: 1 },
      { name: 'c2', asn: 4294967295 },
      { name: 'c3' },
      { name: 'c4' },
      { name: 'c5' },
      { name: 'c6' },
      { name: 'c7' },
    ]);
    expect(result.rejected).toEqual([]);
    expect(result.problems).toEqual([
      'error "c0": asn: ASN 0 is not an integer in 1..4294967295; left out of bgp, roa',
      'error "c3": asn: ASN 4294967296 is not an integer in 1..4294967295; left out of bgp, roa',
      'error "c4": asn: ASN -1 is not an integer in 1..4294967295; left out of bgp, roa',
      'error "c5": asn: ASN 1.5 is not an integer in 1..4294967295; left out of bgp, roa',
      'error "c6": asn: ASN "65001" is not an integer in 1..4294967295; left out of bgp, roa',
      'error "c7": asn: ASN null is not an integer in 1..4294967295; left out of bgp, roa',
    ]);
  });

  it('networks: a bad family, list or prefix is left out of roa only; the family keys must be ipv4/ipv6', () => {
    const result = check({
      flat: 'networks: 10.1.0.0/16\n',
      mixed: [
        'networks:',
        '  ipv4: [10.2.0.0/16, 10.2.0.1/16, "fd02::/16", 10.3.0.0/33, 10.4.0.0, 42, 10.5.0.0/24]',
        '  ipv6: fd02::/16',
        '  ipv5: [10.6.0.0/16]',
      ].join('\n'),
      v6: 'networks:\n  ipv6: [fd03::/16, 10.7.0.0/16]\n',
    });
    expect(result.communities).toEqual([
      { name: 'flat' },
      { name: 'mixed', networks: { ipv4: ['10.2.0.0/16', '10.5.0.0/24'], ipv6: [] } },
      { name: 'v6', networks: { ipv6: ['fd03::/16'] } },
    ]);
    expect(result.problems).toEqual([
      'error "flat": networks: expected a mapping with ipv4 and/or ipv6; left out of roa',
      'error "mixed": networks.ipv4: "10.2.0.1/16" is host bits are set; network "10.2.0.1/16" left out of roa',
      'error "mixed": networks.ipv4: "fd02::/16" is not an ipv4 prefix; network "fd02::/16" left out of roa',
      'error "mixed": networks.ipv4: "10.3.0.0/33" is prefix length 33 is too long for ipv4; network "10.3.0.0/33" left out of roa',
      'error "mixed": networks.ipv4: "10.4.0.0" is not a prefix of the form address/length; network "10.4.0.0" left out of roa',
      'error "mixed": networks.ipv4: 42 is not a string; network 42 left out of roa',
      'error "mixed": networks.ipv6: expected a list, found "fd02::/16"; left out of roa',
      'warning "mixed": networks: unknown family "ipv5", ignored',
      'error "v6": networks.ipv6: "10.7.0.0/16" is not an ipv6 prefix; network "10.7.0.0/16" left out of roa',
    ]);
  });

  it('nested networks of one community: a warning naming the enclosing one (an equal one: the first)', () => {
    const result = check({
      own: [
        'networks:',
        '  ipv4: [10.1.2.0/24, 10.1.0.0/16, 10.2.0.0/16, 10.2.0.0/16, 10.3.0.0/16, 10.30.0.0/16]',
        '  ipv6: [fd00::/16, fd00:1::/32]',
      ].join('\n'),
    });
    expect(result.communities).toEqual([
      {
        name: 'own',
        networks: {
          ipv4: ['10.1.2.0/24', '10.1.0.0/16', '10.2.0.0/16', '10.2.0.0/16', '10.3.0.0/16', '10.30.0.0/16'],
          ipv6: ['fd00::/16', 'fd00:1::/32'],
        },
      },
    ]);
    expect(result.problems).toEqual([
      'warning "own": networks.ipv4: "10.1.2.0/24" lies within the community\'s own "10.1.0.0/16"',
      'warning "own": networks.ipv4: "10.2.0.0/16" lies within the community\'s own "10.2.0.0/16"',
      'warning "own": networks.ipv6: "fd00:1::/32" lies within the community\'s own "fd00::/16"',
    ]);
  });

  it('bgp peers: a bad name leaves out the peer, a bad address only its session; sorted by code unit', () => {
    const result = check({
      peers: [
        'asn: 65001',
        'bgp:',
        '  zulu1: {ipv4: 10.207.1.1, ipv6: "fec0::a:cf:1:1"}',
        '  Alpha1: {ipv4: 10.207.1.2, ipv6: "fec0::a:cf:1:3"}',
        '  123: {ipv4: 10.207.1.123}',
        '  alpha-1: {ipv4: 10.207.1.4}',
        '  -alpha: {ipv4: 10.207.1.5}',
        '  alpha.: {ipv4: 10.207.1.6}',
        '  bare: 10.207.1.7',
        '  bad4: {ipv4: 10.208.1.8, ipv6: "fec0::a:cf:1:8"}',
        '  bad6: {ipv4: 10.207.1.9, ipv6: "fec0::a:ce:1:9"}',
        '  swapped: {ipv4: "fec0::a:cf:1:10", ipv6: 10.207.1.10}',
        '  number: {ipv4: 167710475}',
        '  odd: {ipv4: 10.207.1.12, ipx: 10.207.1.12}',
        '  ll: {ipv6: "fe80::1"}',
        '  high: {ipv4: 10.207.2.1, ipv6: "fec0::a:cf:2:101"}',
      ].join('\n'),
    });
    expect(result.communities).toEqual([
      {
        name: 'peers',
        asn: 65001,
        bgp: [
          { name: '123', ipv4: '10.207.1.123' },
          { name: 'Alpha1', ipv4: '10.207.1.2', ipv6: 'fec0::a:cf:1:3' },
          { name: 'bad4', ipv6: 'fec0::a:cf:1:8' },
          { name: 'bad6', ipv4: '10.207.1.9' },
          { name: 'high', ipv4: '10.207.2.1', ipv6: 'fec0::a:cf:2:101' },
          { name: 'll' },
          { name: 'number' },
          { name: 'odd', ipv4: '10.207.1.12' },
          { name: 'swapped' },
          { name: 'zulu1', ipv4: '10.207.1.1', ipv6: 'fec0::a:cf:1:1' },
        ],
      },
    ]);
    expect(result.problems).toEqual([
      'warning "peers": bgp.Alpha1: IPv4 and IPv6 transfer addresses do not match',
      'error "peers": bgp: peer name "alpha-1" contains characters outside [A-Za-z0-9_]; peer "alpha-1" left out of bgp',
      'error "peers": bgp: peer name "-alpha" contains characters outside [A-Za-z0-9_]; peer "-alpha" left out of bgp',
      'error "peers": bgp: peer name "alpha." contains characters outside [A-Za-z0-9_]; peer "alpha." left out of bgp',
      'error "peers": bgp.bare: expected a mapping with ipv4 and/or ipv6; peer bare left out of bgp',
      'error "peers": bgp.bad4.ipv4: "10.208.1.8" lies outside the transfer network 10.207.0.0/16; peer bad4 (ipv4) left out of bgp',
      'error "peers": bgp.bad6.ipv6: "fec0::a:ce:1:9" lies outside the transfer network fec0::a:cf:0:0/96; peer bad6 (ipv6) left out of bgp',
      'error "peers": bgp.swapped.ipv4: "fec0::a:cf:1:10" is not an ipv4 address; peer swapped (ipv4) left out of bgp',
      'error "peers": bgp.swapped.ipv6: "10.207.1.10" is not an ipv6 address; peer swapped (ipv6) left out of bgp',
      'error "peers": bgp.number.ipv4: 167710475 is not an ipv4 address; peer number (ipv4) left out of bgp',
      'warning "peers": bgp.odd: unknown family "ipx", ignored',
      'error "peers": bgp.ll.ipv6: "fe80::1" lies outside the transfer network fec0::a:cf:0:0/96; peer ll (ipv6) left out of bgp',
      'warning "peers": bgp.high: IPv4 and IPv6 transfer addresses do not match',
    ]);
  });

  it('link-local IPv6 peers only when allowed; a bgp block without an asn is an error', () => {
    const files = {
      papa: 'bgp:\n  papa1: {ipv4: "fe80::1", ipv6: "fe80::1"}\n  papa2: {ipv6: "febf::2"}\n  papa3: {ipv6: "fec0::3"}\n',
    };
    expect(check(files, { allowLinkLocal: true })).toEqual({
      communities: [
        {
          name: 'papa',
          bgp: [{ name: 'papa1', ipv6: 'fe80::1' }, { name: 'papa2', ipv6: 'febf::2' }, { name: 'papa3' }],
        },
      ],
      rejected: [],
      problems: [
        'error "papa": bgp.papa1.ipv4: "fe80::1" is not an ipv4 address; peer papa1 (ipv4) left out of bgp',
        'error "papa": bgp.papa3.ipv6: "fec0::3" lies outside the transfer network fec0::a:cf:0:0/96; peer papa3 (ipv6) left out of bgp',
        'error "papa": bgp: a bgp block needs an asn; left out of bgp',
      ],
    });
    expect(check(files).communities[0].bgp).toEqual([
      { name: 'papa1' },
      { name: 'papa2' },
      { name: 'papa3' },
    ]);
    expect(check({ bgp: 'asn: 65001\nbgp: [papa1]\n' })).toEqual({
      communities: [{ name: 'bgp', asn: 65001, bgp: [] }],
      rejected: [],
      problems: ['error "bgp": bgp: expected a mapping of peer names; left out of bgp'],
    });
  });

  it("domains and nameservers: one bad entry leaves out all of the community's DNS entries, nothing else", () => {
    const result = check({
      a: 'asn: 65001\ndomains: [ffa, FFA.]\nnameservers: [10.1.0.53]\n',
      b: 'asn: 65002\ndomains: ffb\nnameservers: [10.2.0.53]\n',
      c: 'asn: 65003\ndomains: [ffc, "ff c", 42]\nnameservers: [10.3.0.53]\n',
      d: 'asn: 65004\ndomains: [ffd]\nnameservers: [10.4.0.53, ns.ffd, "fd04::53"]\n',
      e: 'asn: 65005\ndomains: [ffe]\nnameservers: 10.5.0.53\n',
      f: 'asn: 65006\ndomains: [fff, 1.2.3.4.5.in-addr.arpa, x.y.ip6.arpa]\nnameservers: [10.6.0.53]\n',
      g: 'asn: 65007\ndomains: [ffg]\nnameservers: ["fd07::53", 10.7.0.53]\nnameserver: [10.7.0.54]\n',
      h: 'asn: 65008\nnameservers: [10.8.0.53]\n',
    });
    expect(result.communities).toEqual([
      { name: 'a', asn: 65001, nameservers: ['10.1.0.53'] },
      { name: 'b', asn: 65002, nameservers: ['10.2.0.53'] },
      { name: 'c', asn: 65003, nameservers: ['10.3.0.53'] },
      { name: 'd', asn: 65004 },
      { name: 'e', asn: 65005 },
      { name: 'f', asn: 65006, nameservers: ['10.6.0.53'] },
      { name: 'g', asn: 65007, domains: ['ffg'], nameservers: ['fd07::53', '10.7.0.53'] },
      { name: 'h', asn: 65008, nameservers: ['10.8.0.53'] },
    ]);
    expect(result.problems).toEqual([
      'error "a": domains: "FFA." is listed twice; left out of dns',
      'error "b": domains: expected a list, found "ffb"; left out of dns',
      'error "c": domains: "ff c" is not a domain name (letters, digits, dashes and dots; a "/" only in an RFC 2317 reverse name); left out of dns',
      'error "c": domains: 42 is not a domain name (letters, digits, dashes and dots; a "/" only in an RFC 2317 reverse name); left out of dns',
      'error "d": nameservers: "ns.ffd" is not an IP address; left out of dns',
      'error "e": nameservers: expected a list, found "10.5.0.53"; left out of dns',
      'error "f": domains: "1.2.3.4.5.in-addr.arpa" is not a reverse zone name: labels must be 1 to 4 octets (0-255); left out of dns',
      'error "f": domains: "x.y.ip6.arpa" is not a reverse zone name: labels must be hex digits; left out of dns',
      'warning "g": nameserver: unknown key, did you mean "nameservers"?',
    ]);
  });

  it('delegations: a bad ASN or a prefix outside the own networks is left out of roa; the rest is kept', () => {
    const result = check({
      del: [
        'asn: 65001',
        'networks: {ipv4: [10.1.0.0/16], ipv6: ["fd01::/16"]}',
        'delegate:',
        '  65100: [10.1.1.0/24, "fd01:1::/32"]',
        '  65101: [10.2.0.0/24, 10.1.2.0/24, 10.1.3.1/24]',
        '  0: [10.1.4.0/24, 10.9.0.0/24]',
        '  65102: 10.1.5.0/24',
        '  65103: []',
      ].join('\n'),
      flat: 'asn: 65002\ndelegate: [65100]\n',
    });
    expect(result.communities).toEqual([
      {
        name: 'del',
        asn: 65001,
        networks: { ipv4: ['10.1.0.0/16'], ipv6: ['fd01::/16'] },
        delegate: [
          { asn: 65100, prefixes: ['10.1.1.0/24', 'fd01:1::/32'] },
          { asn: 65101, prefixes: ['10.1.2.0/24'] },
          { asn: 65102, prefixes: [] },
          { asn: 65103, prefixes: [] },
        ],
      },
      { name: 'flat', asn: 65002, delegate: [] },
    ]);
    expect(result.problems).toEqual([
      'error "del": delegate.65101: "10.2.0.0/24" is not within the community\'s own networks; delegation "10.2.0.0/24" left out of roa',
      'error "del": delegate.65101: "10.1.3.1/24" is host bits are set; delegation "10.1.3.1/24" left out of roa',
      'error "del": delegate: ASN 0 is not an integer in 1..4294967295; delegation to 0 left out of roa',
      'error "del": delegate.0: "10.9.0.0/24" is not within the community\'s own networks; delegation "10.9.0.0/24" left out of roa',
      'error "del": delegate.65102: expected a list, found "10.1.5.0/24"; delegation to 65102 left out of roa',
      'error "flat": delegate: expected a mapping of ASN to prefixes; delegations left out of roa',
    ]);
  });

  it('reverse zones: within an own network rounded down to the octet (nibble) they are quiet, else a warning', () => {
    const community = (networks: string, domains: string[]) =>
      `networks: ${networks}\ndomains: [${domains.join(', ')}]\nnameservers: [10.0.0.53]\n`;
    const result = check({
      k16: community('{ipv4: [10.12.0.0/16]}', [
        '12.10.in-addr.arpa',
        '99.10.in-addr.arpa',
        'f.1.0.0.d.f.ip6.arpa',
      ]),
      k24: community('{ipv4: [10.13.0.0/24]}', ['0.13.10.in-addr.arpa', '13.10.in-addr.arpa']),
      k23: community('{ipv4: [10.14.0.0/23]}', ['14.10.in-addr.arpa.', '0.14.10.in-addr.arpa']),
      k18: community('{ipv4: [10.11.64.0/18]}', ['11.10.in-addr.arpa', '64.11.10.in-addr.arpa']),
      k15: community('{ipv4: [172.18.0.0/15]}', ['172.in-addr.arpa', '19.172.in-addr.arpa']),
      n24: community('{ipv6: [fd00:1200::/24]}', ['2.1.0.0.d.f.ip6.arpa', '1.0.0.d.f.ip6.arpa']),
      n22: community('{ipv6: [fd00:2400::/22]}', [
        '4.2.0.0.d.f.ip6.arpa',
        '2.0.0.d.f.ip6.arpa',
        '3.0.0.d.f.ip6.arpa',
      ]),
      n6: community('{ipv6: [fd00:4000::/24]}', ['98.10.in-addr.arpa']),
    });
    const outside = (community: string, zone: string) =>
      `warning "${community}": domains: reverse zone "${zone}" lies outside the community's own networks`;
    expect(result.problems).toEqual([
      outside('k16', '99.10.in-addr.arpa'),
      outside('k16', 'f.1.0.0.d.f.ip6.arpa'),
      outside('k24', '13.10.in-addr.arpa'),
      outside('n24', '1.0.0.d.f.ip6.arpa'),
      outside('n22', '3.0.0.d.f.ip6.arpa'),
      outside('n6', '98.10.in-addr.arpa'),
    ]);
    expect(result.communities.map((c) => c.domains?.length)).toEqual([3, 2, 2, 2, 2, 2, 3, 1]);
  });
});

describe('cross-community clashes: the later file loses exactly the clashing value', () => {
  it("BGP: a clashing address costs only that family's session, a clashing name the whole peer", () => {
    const result = check({
      a: 'asn: 65001\nbgp:\n  a1: {ipv4: 10.207.1.1, ipv6: "fec0::a:cf:1:1"}\n  a2: {ipv4: 10.207.1.2, ipv6: "fec0::a:cf:1:2"}\n',
      b: [
        'asn: 65002',
        'bgp:',
        '  b1: {ipv4: 10.207.2.1, ipv6: "fec0::a:cf:1:2"}',
        '  b2: {ipv4: 10.207.1.1, ipv6: "fec0::a:cf:2:2"}',
        '  A2: {ipv4: 10.207.2.3, ipv6: "fec0::a:cf:2:3"}',
        '  b4: {ipv4: 10.207.2.4}',
        '  b5: {ipv6: "fec0::a:cf:1:1", ipv4: 10.207.1.2}',
      ].join('\n'),
      c: 'asn: 65003\nbgp:\n  c1: {ipv4: 10.207.2.3, ipv6: "fec0::a:cf:2:3"}\n  c2: {ipv6: "fec0::a:cf:2:4"}\n',
    });
    expect(result.communities).toEqual([
      {
        name: 'a',
        asn: 65001,
        bgp: [
          { name: 'a1', ipv4: '10.207.1.1', ipv6: 'fec0::a:cf:1:1' },
          { name: 'a2', ipv4: '10.207.1.2', ipv6: 'fec0::a:cf:1:2' },
        ],
      },
      {
        name: 'b',
        asn: 65002,
        bgp: [
          { name: 'b1', ipv4: '10.207.2.1' },
          { name: 'b2', ipv6: 'fec0::a:cf:2:2' },
          { name: 'b4', ipv4: '10.207.2.4' },
          { name: 'b5' },
        ],
      },
      // A2's addresses were never taken: c1 may have them.
      {
        name: 'c',
        asn: 65003,
        bgp: [
          { name: 'c1', ipv4: '10.207.2.3', ipv6: 'fec0::a:cf:2:3' },
          { name: 'c2', ipv6: 'fec0::a:cf:2:4' },
        ],
      },
    ]);
    expect(result.problems.filter((p) => p.startsWith('error'))).toEqual([
      'error "b": bgp: peer name "A2" is already used by "a"; peer A2 left out of bgp',
      'error "b": bgp.b1.ipv6: address fec0::a:cf:1:2 is already used by "a"; peer b1 (ipv6) left out of bgp',
      'error "b": bgp.b2.ipv4: address 10.207.1.1 is already used by "a"; peer b2 (ipv4) left out of bgp',
      // In family order, whatever the order in the file.
      'error "b": bgp.b5.ipv4: address 10.207.1.2 is already used by "a"; peer b5 (ipv4) left out of bgp',
      'error "b": bgp.b5.ipv6: address fec0::a:cf:1:1 is already used by "a"; peer b5 (ipv6) left out of bgp',
    ]);
  });

  it('a network another community owns: its ROA entry, the delegations inside it and, if a zone touches it, the DNS entries go', () => {
    const result = check({
      a: 'asn: 65001\nnetworks: {ipv4: [10.1.0.0/16, 10.3.0.0/16], ipv6: ["fd01::/16"]}\n',
      b: [
        'asn: 65002',
        'networks: {ipv4: [10.1.128.0/17, 10.2.0.0/16], ipv6: ["fd01:1::/32", "fd02::/16"]}',
        'delegate:',
        '  65100: [10.1.129.0/24, 10.2.1.0/24, "fd01:1:1::/48", "fd02:1::/32"]',
        'domains: [ffb, 2.10.in-addr.arpa]',
        'nameservers: [10.2.0.53]',
      ].join('\n'),
      c: [
        'asn: 65003',
        'networks: {ipv4: [10.0.0.0/8]}',
        'domains: [ffc, 10.in-addr.arpa]',
        'nameservers: [10.0.0.53]',
      ].join('\n'),
      d: 'asn: 65004\nnetworks: {ipv4: [10.4.0.0/16]}\ndomains: [ffd, 4.10.in-addr.arpa]\nnameservers: [10.4.0.53]\n',
      // A zone inside the lost network, and one around it.
      e: 'asn: 65005\nnetworks: {ipv4: [10.3.128.0/17]}\ndomains: [ffe, 128.3.10.in-addr.arpa]\nnameservers: [10.5.0.53]\n',
      f: 'asn: 65006\nnetworks: {ipv4: [10.3.64.0/18]}\ndomains: [fff, 3.10.in-addr.arpa]\nnameservers: [10.6.0.53]\n',
    });
    expect(result.communities).toEqual([
      { name: 'a', asn: 65001, networks: { ipv4: ['10.1.0.0/16', '10.3.0.0/16'], ipv6: ['fd01::/16'] } },
      {
        name: 'b',
        asn: 65002,
        networks: { ipv4: ['10.2.0.0/16'], ipv6: ['fd02::/16'] },
        delegate: [{ asn: 65100, prefixes: ['10.2.1.0/24', 'fd02:1::/32'] }],
        domains: ['ffb', '2.10.in-addr.arpa'],
        nameservers: ['10.2.0.53'],
      },
      { name: 'c', asn: 65003, networks: { ipv4: [] }, nameservers: ['10.0.0.53'] },
      {
        name: 'd',
        asn: 65004,
        networks: { ipv4: ['10.4.0.0/16'] },
        domains: ['ffd', '4.10.in-addr.arpa'],
        nameservers: ['10.4.0.53'],
      },
      { name: 'e', asn: 65005, networks: { ipv4: [] }, nameservers: ['10.5.0.53'] },
      { name: 'f', asn: 65006, networks: { ipv4: [] }, nameservers: ['10.6.0.53'] },
    ]);
    expect(result.problems).toEqual([
      'error "b": networks.ipv4: network 10.1.128.0/17 overlaps a network that is already used by "a"; network 10.1.128.0/17 left out of roa',
      'error "b": networks.ipv6: network fd01:1::/32 overlaps a network that is already used by "a"; network fd01:1::/32 left out of roa',
      'error "c": networks.ipv4: network 10.0.0.0/8 overlaps a network that is already used by "a"; network 10.0.0.0/8 (and the reverse zones in it) left out of roa, dns',
      'error "e": networks.ipv4: network 10.3.128.0/17 overlaps a network that is already used by "a"; network 10.3.128.0/17 (and the reverse zones in it) left out of roa, dns',
      'error "f": networks.ipv4: network 10.3.64.0/18 overlaps a network that is already used by "a"; network 10.3.64.0/18 (and the reverse zones in it) left out of roa, dns',
    ]);
  });

  it('ranges that share only their last or first address still overlap (both orders, both families)', () => {
    const net = (v4: string[], v6: string[] = []) =>
      `networks: {ipv4: [${v4.join(', ')}], ipv6: [${v6.map((n) => JSON.stringify(n)).join(', ')}]}\n`;
    const result = check({
      a: net(['10.1.0.0/24', '10.2.0.255/32'], ['fd00::/16']),
      b: net(['10.1.0.255/32', '10.2.0.0/24'], ['fd00:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128']),
      c: net(['10.1.1.0/32', '10.2.1.0/24']),
    });
    expect(result.communities.map((c) => [c.name, c.networks])).toEqual([
      ['a', { ipv4: ['10.1.0.0/24', '10.2.0.255/32'], ipv6: ['fd00::/16'] }],
      ['b', { ipv4: [], ipv6: [] }],
      ['c', { ipv4: ['10.1.1.0/32', '10.2.1.0/24'], ipv6: [] }],
    ]);
    expect(result.problems.map((p) => p.split(';')[0])).toEqual([
      'error "b": networks.ipv4: network 10.1.0.255/32 overlaps a network that is already used by "a"',
      'error "b": networks.ipv4: network 10.2.0.0/24 overlaps a network that is already used by "a"',
      'error "b": networks.ipv6: network fd00:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128 overlaps a network that is already used by "a"',
    ]);
  });

  it('a foreign reverse zone reaches a network that shares only its first or last address', () => {
    const zone = (name: string, network: string, domain: string) =>
      `networks: {ipv4: [${network}]}\ndomains: [ff${name}, ${domain}]\nnameservers: [10.9.0.53]\n`;
    const result = check({
      x: zone('x', '10.1.0.0/24', '0.1.10.in-addr.arpa'),
      y: zone('y', '10.5.0.0/24', '255.0.1.10.in-addr.arpa'),
      z: zone('z', '10.2.0.255/32', '255.0.2.10.in-addr.arpa'),
      w: zone('w', '10.6.0.0/24', '0.2.10.in-addr.arpa'),
      v: zone('v', '10.7.0.0/24', '1.3.10.in-addr.arpa'),
      u: zone('u', '10.3.0.0/32', '8.0.0.0.0.0.d.f.ip6.arpa'),
      // Its DNS entries are gone already (a domain of x's): the capture is not reported again.
      t: zone('x', '10.8.0.0/24', '0.1.10.in-addr.arpa'),
    });
    expect(result.problems.filter((p) => p.startsWith('error'))).toEqual([
      'error "t": domains: domain "ffx" is already used by "x"; left out of dns',
      'error "y": domains: reverse zone "255.0.1.10.in-addr.arpa" reaches network 10.1.0.0/24 of "x"; left out of dns',
      'error "w": domains: reverse zone "0.2.10.in-addr.arpa" reaches network 10.2.0.255/32 of "z"; left out of dns',
    ]);
    expect(result.communities.map((c) => c.domains !== undefined)).toEqual([
      true,
      false,
      true,
      false,
      true,
      true,
      false,
    ]);
  });
});

describe('finish', () => {
  it("the reader's problems come first and reject their files; the validator's rejections follow", () => {
    const validator = new CommunityValidator();
    validator.add({ name: 'bad name', data: new Map() });
    validator.add({ name: 'ok', data: yaml('asn: 65001\n') });
    const read = {
      community: 'link',
      key: '(file)',
      severity: 'error',
      message: 'is a symbolic link',
      leftOut: ['bgp', 'roa', 'dns'],
    } as const;
    const result = validator.finish([read]);
    expect(result.rejected).toEqual(['link', 'bad name']);
    expect(result.communities).toEqual([{ name: 'ok', asn: 65001 }]);
    expect(result.problems.map((p) => p.community)).toEqual(['link', 'bad name']);
  });
});
