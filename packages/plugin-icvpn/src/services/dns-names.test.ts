import { describe, expect, it } from 'vitest';
import { domainNameProblem, reverseZonePrefix } from './dns-names.js';

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
