import { describe, expect, it } from 'vitest';
import { domainNameProblem, normalDomain, reverseZonePrefix, reverseZoneRounding } from './dns-names.js';

describe('domain names a community may claim', () => {
  it('accepts single-label private names, public-looking names, reverse zones with or without trailing dot, RFC 2317 names', () => {
    for (const name of [
      'ffhh',
      'hack',
      'dn42',
      'ffac.freifunk.example',
      '11.10.in-addr.arpa',
      '13.10.in-addr.arpa.',
      '1.2.0.0.8.b.d.0.1.0.0.2.ip6.arpa.',
      '128/18.24.10.in-addr.arpa',
      '0-127.2.0.192.in-addr.arpa',
    ])
      expect(domainNameProblem(name), name).toBeUndefined();
  });

  it('refuses IANA top-level domains (any case, trailing dot) and the reverse trees themselves', () => {
    for (const name of ['com', 'COM.', 'de', 'xn--p1ai', 'arpa'])
      expect(domainNameProblem(name), name).toMatch(/top-level domain|reverse tree/);
    for (const name of ['in-addr.arpa', 'ip6.arpa.'])
      expect(domainNameProblem(name), name).toMatch(/whole reverse tree/);
  });

  it('refuses text outside the character set, and "/" anywhere but an RFC 2317 label', () => {
    for (const name of [
      'a b',
      'evil"; zone',
      'x/y.example',
      'ffm\naddress=/#',
      '',
      5,
      '_srv.example',
      'a..b',
    ])
      expect(domainNameProblem(name), String(name)).toMatch(/is not a domain name/);
  });

  it('turns reverse names into prefixes; a malformed one into a reason', () => {
    const prefix = (name: string) => {
      const p = reverseZonePrefix(name);
      return typeof p === 'object' ? `${p.family} ${p.start.toString(16)}/${p.length}` : p;
    };
    expect(prefix('11.10.in-addr.arpa')).toBe('ipv4 a0b0000/16');
    expect(prefix('13.10.in-addr.arpa.')).toBe('ipv4 a0d0000/16');
    expect(prefix('128/18.24.10.in-addr.arpa')).toBe('ipv4 a188000/18');
    expect(prefix('64/18.252.10.in-addr.arpa')).toBe('ipv4 afc4000/18');
    expect(prefix('0-127.2.0.192.in-addr.arpa')).toBe('ipv4 c0000200/25');
    expect(prefix('1.2.0.0.8.b.d.0.1.0.0.2.ip6.arpa')).toBe(`ipv6 20010db80021${'0'.repeat(20)}/48`);
    expect(prefix('ffhh')).toBeUndefined();
    expect(prefix('300.10.in-addr.arpa')).toMatch(/octets/);
    expect(prefix('foo.in-addr.arpa')).toMatch(/octets/);
    expect(prefix('100/18.24.10.in-addr.arpa')).toMatch(/not an aligned block/);
    expect(prefix('0/8.24.10.in-addr.arpa')).toMatch(/not an aligned block/);
    expect(prefix('g.ip6.arpa')).toMatch(/hex digits/);
  });
});

describe('domain name limits and reverse names at their edges', () => {
  const NOT_A_NAME =
    'is not a domain name (letters, digits, dashes and dots; a "/" only in an RFC 2317 reverse name)';
  const label = (n: number) => 'a'.repeat(n);

  it('labels of 1 to 63 characters, letters or digits at both ends; names of at most 253 (plus a dot)', () => {
    const long = [label(63), label(63), label(63), label(61)].join('.');
    expect(long).toHaveLength(253);
    const problems = Object.fromEntries(
      [
        label(63),
        label(64),
        long,
        `${long}.`,
        `a${long}`,
        'a-b',
        '-ab',
        'ab-',
        'a.-b',
        'x1.y2',
        '.ab',
        'ab..',
        '9',
      ].map((n) => [n, domainNameProblem(n)]),
    );
    expect(problems).toEqual({
      [label(63)]: undefined,
      [label(64)]: NOT_A_NAME,
      [long]: undefined,
      [`${long}.`]: undefined,
      [`a${long}`]: NOT_A_NAME,
      'a-b': undefined,
      '-ab': NOT_A_NAME,
      'ab-': NOT_A_NAME,
      'a.-b': NOT_A_NAME,
      'x1.y2': undefined,
      '.ab': NOT_A_NAME,
      'ab..': NOT_A_NAME,
      '9': undefined,
    });
  });

  it('RFC 2317 names: nothing before the first number, an in-addr.arpa ending, any case', () => {
    expect(domainNameProblem('x128/18.24.10.in-addr.arpa')).toBe(NOT_A_NAME);
    expect(domainNameProblem('128/18.24.10.in-addr.arpa.x')).toBe(NOT_A_NAME);
    expect(domainNameProblem('128/18.24.10.ip6.arpa')).toBe(NOT_A_NAME);
    expect(domainNameProblem('128/18.24.10.IN-ADDR.ARPA.')).toBeUndefined();
    expect(domainNameProblem('1234/18.24.10.in-addr.arpa')).toBe(NOT_A_NAME);
    expect(domainNameProblem('128/18.in-addr.arpa')).toBe(NOT_A_NAME);
  });

  it('in-addr.arpa: blocks by length or range, aligned, inside one octet; at most four octets', () => {
    const prefix = (name: string) => {
      const p = reverseZonePrefix(name);
      return typeof p === 'object'
        ? `${p.family} ${p.start.toString(16).padStart(8, '0')}/${p.length} ${p.text}`
        : p;
    };
    const notAligned = (block: string) => `"${block}" is not an aligned block inside one octet`;
    expect(
      [
        '0-127.2.0.192.in-addr.arpa',
        '128-255.2.0.192.in-addr.arpa',
        '7-7.2.0.192.in-addr.arpa',
        '0-126.2.0.192.in-addr.arpa',
        '0-255.2.0.192.in-addr.arpa',
        '64-191.2.0.192.in-addr.arpa',
        '9-8.2.0.192.in-addr.arpa',
        '256-256.2.0.192.in-addr.arpa',
        '255-255.2.0.192.in-addr.arpa',
        '128/25.2.0.192.in-addr.arpa',
        '0/24.2.0.192.in-addr.arpa',
        '256/25.2.0.192.in-addr.arpa',
        '0/16.0.192.in-addr.arpa',
        '128/17.0.192.in-addr.arpa',
        '128/9.10.in-addr.arpa',
        '64/26.1.2.0.192.in-addr.arpa',
        '1.2.3.4.in-addr.arpa',
        '1.2.3.4.5.in-addr.arpa',
        '256.10.in-addr.arpa',
        '255.10.in-addr.arpa',
        '010.10.in-addr.arpa',
        '1000.10.in-addr.arpa',
        '1a.10.in-addr.arpa',
        'a1.10.in-addr.arpa',
        'x.in-addr.arpa',
      ].map(prefix),
    ).toEqual([
      'ipv4 c0000200/25 0-127.2.0.192.in-addr.arpa',
      'ipv4 c0000280/25 128-255.2.0.192.in-addr.arpa',
      'ipv4 c0000207/32 7-7.2.0.192.in-addr.arpa',
      notAligned('0-126'),
      notAligned('0-255'),
      notAligned('64-191'),
      notAligned('9-8'),
      notAligned('256-256'),
      'ipv4 c00002ff/32 255-255.2.0.192.in-addr.arpa',
      'ipv4 c0000280/25 128/25.2.0.192.in-addr.arpa',
      notAligned('0/24'),
      notAligned('256/25'),
      notAligned('0/16'),
      'ipv4 c0008000/17 128/17.0.192.in-addr.arpa',
      'ipv4 0a800000/9 128/9.10.in-addr.arpa',
      // Four octets after the block: not an RFC 2317 name, and "64/26" is no octet.
      'labels must be 1 to 4 octets (0-255)',
      'ipv4 04030201/32 1.2.3.4.in-addr.arpa',
      'labels must be 1 to 4 octets (0-255)',
      'labels must be 1 to 4 octets (0-255)',
      'ipv4 0aff0000/16 255.10.in-addr.arpa',
      'ipv4 0a0a0000/16 010.10.in-addr.arpa',
      'labels must be 1 to 4 octets (0-255)',
      'labels must be 1 to 4 octets (0-255)',
      'labels must be 1 to 4 octets (0-255)',
      'labels must be 1 to 4 octets (0-255)',
    ]);
  });

  it('ip6.arpa: one hex digit per label, at most 32; anything else is a forward name', () => {
    const full = Array.from({ length: 32 }, (_, i) => (i % 16).toString(16)).join('.');
    const zone = reverseZonePrefix(`${full}.ip6.arpa.`);
    expect(zone).toEqual({
      family: 'ipv6',
      start: BigInt('0xfedcba9876543210fedcba9876543210'),
      length: 128,
      text: `${full}.ip6.arpa.`,
    });
    expect(reverseZonePrefix(`0.${full}.ip6.arpa`)).toBe('labels must be hex digits');
    expect(reverseZonePrefix('D.F.IP6.ARPA')).toEqual({
      family: 'ipv6',
      start: 0xfdn << 120n,
      length: 8,
      text: 'D.F.IP6.ARPA',
    });
    expect(reverseZonePrefix('10.f.ip6.arpa')).toBe('labels must be hex digits');
    expect(reverseZonePrefix('.f.ip6.arpa')).toBe('labels must be hex digits');
    expect(reverseZonePrefix('fip6.arpa')).toBeUndefined();
    expect(reverseZonePrefix('10in-addr.arpa')).toBeUndefined();
    expect(reverseZonePrefix('in-addr.arpa.example')).toBeUndefined();
  });

  it('names compare lower case without the trailing dot; zones round to octets (IPv4) and nibbles (IPv6)', () => {
    expect(['FFA.', 'ffa', 'Ffa..', 'a.B.'].map(normalDomain)).toEqual(['ffa', 'ffa', 'ffa.', 'a.b']);
    expect([reverseZoneRounding('ipv4'), reverseZoneRounding('ipv6')]).toEqual([8, 4]);
  });
});
