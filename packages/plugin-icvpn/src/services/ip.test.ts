import { isIPv4, isIPv6 } from 'node:net';
import { type ParsedIp, PrefixSet, parseIp } from '@ffphoton/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addressKey,
  addressToBigInt,
  familyOf,
  LINK_LOCAL_V6,
  type Prefix,
  parsePrefix,
  prefixContains,
  prefixEnd,
  supernet,
  TRANSFER,
  TRANSFER_NETWORKS,
} from './ip.js';

const ip = (text: string) => parseIp(text) as ParsedIp;

const hexGroups = (n: bigint) =>
  Array.from({ length: 8 }, (_, i) => Number((n >> BigInt(112 - 16 * i)) & 0xffffn));

/** Spellings of one IPv6 address: full, zero-compressed, upper case, with an IPv4 tail. */
function spellings(n: bigint): string[] {
  const groups = hexGroups(n).map((g) => g.toString(16));
  const full = groups.join(':');
  let best = { at: -1, length: 0 };
  for (let i = 0; i < 8; i++) {
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > best.length) best = { at: i, length: j - i };
  }
  const compressed =
    best.length > 1
      ? `${groups.slice(0, best.at).join(':')}::${groups.slice(best.at + best.length).join(':')}`
      : full;
  const low = Number(n & 0xffffffffn);
  const v4tail = `${groups.slice(0, 6).join(':')}:${[24, 16, 8, 0].map((s) => (low >>> s) & 255).join('.')}`;
  return [full, compressed, full.toUpperCase(), v4tail];
}

describe('address arithmetic', () => {
  it('IPv6: every spelling gives the same integer and key', () => {
    fc.assert(
      fc.property(fc.bigInt(0n, (1n << 128n) - 1n), fc.boolean(), (random, sparse) => {
        // Sparse values have long zero runs, so `::` appears in every position.
        const n = sparse ? random & 0xffff00000000ffff0000ffffffff0000n : random;
        const keys = spellings(n).map((s) => {
          expect(familyOf(s), s).toBe('ipv6');
          expect(addressToBigInt(ip(s)), s).toBe(n);
          return addressKey(ip(s));
        });
        expect(new Set(keys).size).toBe(1);
      }),
      { numRuns: 2000 },
    );
  });

  it('IPv4: integer, key and low bits', () => {
    fc.assert(
      fc.property(fc.nat(0xffffffff), (n) => {
        const text = [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
        expect(addressToBigInt(ip(text))).toBe(BigInt(n));
        expect(addressKey(ip(text))).toBe(String(n));
      }),
    );
    expect(addressToBigInt(ip('10.207.1.1'))).toBe(0x0acf0101n);
    expect(addressToBigInt(ip('::ffff:10.207.1.1'))).toBe(0xffff0acf0101n);
  });

  it("the transfer sets agree with parsePrefix's integer containment, at the edges too", () => {
    const set = (text: string) =>
      new PrefixSet([text], () => {
        throw new Error(text);
      });
    const sets: [PrefixSet, string][] = [
      [TRANSFER.ipv4, TRANSFER_NETWORKS.ipv4],
      [TRANSFER.ipv6, TRANSFER_NETWORKS.ipv6],
      [LINK_LOCAL_V6, 'fe80::/10'],
      [set('10.0.0.0/8'), '10.0.0.0/8'],
      [set('::/0'), '::/0'],
    ];
    const end = (p: Prefix) => p.start | ((1n << BigInt((p.family === 'ipv4' ? 32 : 128) - p.length)) - 1n);
    const v4 = (n: bigint) => [24n, 16n, 8n, 0n].map((s) => (n >> s) & 255n).join('.');
    const v6 = (n: bigint) =>
      hexGroups(n)
        .map((g) => g.toString(16))
        .join(':');
    for (const [prefixSet, prefixText] of sets) {
      const p = parsePrefix(prefixText) as Prefix;
      const text = p.family === 'ipv4' ? v4 : v6;
      const max = p.family === 'ipv4' ? (1n << 32n) - 1n : (1n << 128n) - 1n;
      const edges = [p.start - 1n, p.start, p.start + 1n, end(p) - 1n, end(p), end(p) + 1n, 0n, max].filter(
        (n) => n >= 0n && n <= max,
      );
      for (const n of edges) {
        const inside = n >= p.start && n <= end(p);
        expect(prefixSet.contains(ip(text(n))), `${text(n)} in ${p.text}`).toBe(inside);
      }
    }
    expect(TRANSFER.ipv6.contains(ip('10.207.1.1'))).toBe(false);
  });

  it('familyOf agrees with node:net on random strings of address characters and on real spellings', () => {
    const reference = (s: string) => (isIPv4(s) ? 'ipv4' : isIPv6(s) ? 'ipv6' : undefined);
    const token = fc.constantFrom(
      '0',
      '1',
      'a',
      'F',
      'ffff',
      '12345',
      ':',
      '::',
      ':::',
      '.',
      '1.2.3.4',
      '255',
      '256',
      '01',
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 14 }), (tokens) => {
        const text = tokens.join('');
        expect(familyOf(text), text).toBe(reference(text));
      }),
      { numRuns: 20_000 },
    );
    fc.assert(
      fc.property(fc.bigInt(0n, (1n << 128n) - 1n), (n) => {
        for (const s of spellings(n & 0xffff0000ffff0000000000000000ffffn))
          expect(familyOf(s), s).toBe('ipv6');
      }),
    );
    for (const s of [
      '::',
      '::1',
      '1::',
      '::1.2.3.4',
      '1:2:3:4:5::1.2.3.4',
      '1:2:3:4:5:6::1.2.3.4',
      ':1::',
      '1:::2',
      'fe80::1%eth0',
    ])
      expect(familyOf(s), s).toBe(/%/.test(s) ? undefined : reference(s));
  });
});

describe('prefixes', () => {
  it('parsePrefix: a literal address, a slash and a length in range, no host bits, nothing around it', () => {
    const parsed = (text: string) => {
      const p = parsePrefix(text);
      return typeof p === 'string' ? p : `${p.family} ${p.start.toString(16)}/${p.length} ${p.text}`;
    };
    expect(
      [
        '10.1.0.0/16',
        '0.0.0.0/0',
        '10.1.2.3/32',
        '10.1.2.3/33',
        'fd00::/8',
        'fd00::1/128',
        'fd00::/129',
        '10.1.0.0/15',
        'fd00:8000::/16',
        '10.1.0.0',
        '/16',
        '10.1.0.0/',
        '10.1.0.0/0016',
        '10.1.0.0/16 ',
        ' 10.1.0.0/16',
        '10.1.0.0/16/16',
        '10.1.0.0/1x',
        'x/16',
        '10.1.0.0/016',
      ].map(parsed),
    ).toEqual([
      'ipv4 a010000/16 10.1.0.0/16',
      'ipv4 0/0 0.0.0.0/0',
      'ipv4 a010203/32 10.1.2.3/32',
      'prefix length 33 is too long for ipv4',
      'ipv6 fd000000000000000000000000000000/8 fd00::/8',
      'ipv6 fd000000000000000000000000000001/128 fd00::1/128',
      'prefix length 129 is too long for ipv6',
      'host bits are set',
      'host bits are set',
      'not a prefix of the form address/length',
      'not a prefix of the form address/length',
      'not a prefix of the form address/length',
      'not a prefix of the form address/length',
      'not a prefix of the form address/length',
      'not an IP address before the slash',
      'not a prefix of the form address/length',
      'not a prefix of the form address/length',
      'not an IP address before the slash',
      'ipv4 a010000/16 10.1.0.0/016',
    ]);
  });

  it('prefixContains: equal prefixes count; the family, both ends and the length decide', () => {
    const p = (text: string) => parsePrefix(text) as Prefix;
    const contains = (outer: string, inner: string) => prefixContains(p(outer), p(inner));
    expect(contains('10.1.0.0/16', '10.1.0.0/16')).toBe(true);
    expect(contains('10.1.0.0/16', '10.1.255.0/24')).toBe(true);
    expect(contains('10.1.0.0/16', '10.1.0.0/24')).toBe(true);
    expect(contains('10.1.0.0/24', '10.1.0.0/16')).toBe(false);
    expect(contains('10.1.0.0/16', '10.2.0.0/24')).toBe(false);
    expect(contains('10.1.0.0/16', '10.0.255.0/24')).toBe(false);
    expect(contains('10.1.0.0/16', '10.0.0.0/8')).toBe(false);
    expect(contains('0.0.0.0/0', '255.255.255.255/32')).toBe(true);
    // The same integers in the other family are not inside.
    expect(contains('::/96', '10.1.0.0/16')).toBe(false);
    expect(contains('::/0', '10.1.0.0/16')).toBe(false);
    expect(prefixEnd(p('10.1.0.0/16'))).toBe(0x0a01ffffn);
    expect(prefixEnd(p('fd00::/8'))).toBe((0xfen << 120n) - 1n);
  });

  it('supernet: the enclosing prefix with the host bits cleared', () => {
    const p = parsePrefix('10.1.64.0/18') as Prefix;
    expect(supernet(p, 16)).toEqual({ family: 'ipv4', start: 0x0a010000n, length: 16, text: '10.1.64.0/18' });
    expect(supernet(p, 18)).toEqual(p);
    const v6 = parsePrefix('fd00:2400::/22') as Prefix;
    expect(supernet(v6, 20)).toEqual({ ...v6, start: 0xfd002n << 108n, length: 20 });
  });
});
