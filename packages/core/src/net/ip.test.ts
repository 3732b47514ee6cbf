import { isIP, isIPv4, isIPv6 } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addressKey,
  addressToBigInt,
  familyOf,
  isPrefix,
  type ParsedIp,
  type Prefix,
  PrefixSet,
  parseIp,
  parsePrefix,
  prefixContains,
  prefixEnd,
  supernet,
} from './ip.js';

const fail = (prefix: string): never => {
  throw new Error(`bad prefix ${prefix}`);
};

describe('IP prefixes', () => {
  it('parses what node:net accepts and refuses what it refuses', () => {
    const samples = [
      '::',
      '::1',
      'fd37:b4dc:4b1e::b',
      '1:2:3:4:5:6:7:8',
      '::ffff:10.0.0.1',
      '10.37.1.9',
      '1::2::3',
      '1:2:3:4:5:6:7',
      '12345::',
      '10.0.0.256',
      '01.2.3.4',
      'g::1',
      ':::',
      '1:2:3:4:5:6:7:8:9',
      '1::2:3:4:5:6:7:8',
    ];
    for (const s of samples) expect(parseIp(s) !== undefined, s).toBe(isIP(s) !== 0);
  });

  it('agrees with node:net on random IPv6 addresses', () => {
    fc.assert(
      fc.property(fc.ipV6(), (address) => {
        expect(parseIp(address)?.family).toBe('ipv6');
      }),
    );
  });

  it('agrees with node:net on random strings of digits and dots', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9.]{0,17}$/), fc.ipV4(), (noise, address) => {
        for (const s of [noise, address, `${address}.`, `0${address}`])
          expect(parseIp(s) !== undefined, s).toBe(isIP(s) === 4);
      }),
      { numRuns: 2000 },
    );
  });

  it('matches prefixes bit by bit, per family', () => {
    const set = new PrefixSet(['fd37:b4dc:4b1e::/64', '10.37.0.0/17'], fail);
    const has = (a: string) => set.contains(parseIp(a)!);
    expect(has('fd37:b4dc:4b1e::1')).toBe(true);
    expect(has('fd37:b4dc:4b1e:0:ffff:ffff:ffff:ffff')).toBe(true);
    expect(has('fd37:b4dc:4b1e:1::1')).toBe(false);
    expect(has('10.37.127.1')).toBe(true);
    expect(has('10.37.128.1')).toBe(false);
    expect(() => new PrefixSet(['10.0.0.0/33'], fail)).toThrow('bad prefix 10.0.0.0/33');
    expect(() => new PrefixSet(['nonsense'], fail)).toThrow('bad prefix nonsense');
    expect(() => new PrefixSet(['10.0.0.0/8/8'], fail)).toThrow('bad prefix 10.0.0.0/8/8');
    expect(
      () =>
        new PrefixSet(['10.0.0.0/33'], (prefix, reason) => {
          throw new Error(`${prefix}: ${reason}`);
        }),
    ).toThrow('10.0.0.0/33: prefix length 33 is too long for ipv4');
  });
});

describe('IP bytes', () => {
  const zeros = (n: number) => Array<number>(n).fill(0);
  it('parses each form of address to its bytes', () => {
    const cases: [string, number[] | undefined][] = [
      ['10.37.1.9', [10, 37, 1, 9]],
      ['0.0.0.0', [0, 0, 0, 0]],
      ['255.255.255.255', [255, 255, 255, 255]],
      ['::', zeros(16)],
      ['::1', [...zeros(15), 1]],
      ['1::', [0, 1, ...zeros(14)]],
      ['1:2:3:4:5:6:7:8', [0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8]],
      ['fd37:b4dc::b', [0xfd, 0x37, 0xb4, 0xdc, ...zeros(10), 0, 0x0b]],
      ['ABCD:EF01::fFfF', [0xab, 0xcd, 0xef, 0x01, ...zeros(10), 0xff, 0xff]],
      ['::ffff:10.0.0.1', [...zeros(10), 0xff, 0xff, 10, 0, 0, 1]],
      ['1:2:3:4:5:6:1.2.3.4', [0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 1, 2, 3, 4]],
      ['::1:2:3:4:5:6:7', [0, 0, 0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7]],
      ['1:2:3:4:5:6:7::', [0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 0]],
      ['1:2:3:4:5:6:7:1.2.3.4', undefined],
      ['1:', undefined],
      ['1:2:3:4:5:6:7:', undefined],
      [':1::', undefined],
      ['::ffff:1.2.3', undefined],
      ['::ffff:1.2.3.4.', undefined],
      ['1.2.3.4:5', undefined],
      ['1:2:3:4:5:6:7:8x', undefined],
      ['', undefined],
      ['1.2.3', undefined],
      ['1.2.3.4.5', undefined],
      ['1..2.3', undefined],
      ['1.2.3.a', undefined],
      ['1000.2.3.4', undefined],
    ];
    expect(cases.map(([text]) => [text, parseIp(text)?.bytes])).toEqual(cases);
    expect(cases.map(([text]) => parseIp(text)?.family)).toEqual(
      cases.map(([text, bytes]) => (bytes === undefined ? undefined : text.includes(':') ? 'ipv6' : 'ipv4')),
    );
  });

  it('a prefix is an address, a slash and a length its family can hold', () => {
    const prefixes = [
      ['10.0.0.0/32', true],
      ['10.0.0.0/0', true],
      ['::/128', true],
      ['fd00::/8', true],
      ['10.0.0.0/33', false],
      ['::/129', false],
      ['10.0.0.0/', false],
      ['10.0.0.0', false],
      ['10.0.0.0/0032', false],
      ['10.0.0.0/ 8', false],
      ['10.0.0.0/8x', false],
      ['x/8', false],
      ['/8', false],
      // Host bits are allowed: settings name the prefix a host lives in.
      ['10.37.1.9/16', true],
      ['fd37:b4dc:4b1e::b/64', true],
    ] as const;
    expect(prefixes.map(([text]) => [text, isPrefix(text)])).toEqual(prefixes);
  });

  it('a zero length holds its whole family, whole bytes and single bits are compared exactly', () => {
    const has = (prefixes: string[], address: string) =>
      new PrefixSet(prefixes, fail).contains(parseIp(address)!);
    expect([
      has(['0.0.0.0/0'], '203.0.113.9'),
      has(['0.0.0.0/0'], '::1'),
      has(['::/0'], '2001:db8::1'),
      has(['10.37.0.0/16'], '10.37.255.255'),
      has(['10.37.0.0/16'], '10.36.0.0'),
      has(['10.37.0.0/16'], '11.37.0.0'),
      has(['10.37.0.0/17'], '::ffff:10.37.0.1'),
      has(['128.0.0.0/1'], '127.255.255.255'),
      has(['128.0.0.0/1'], '128.0.0.0'),
      has(['10.37.0.0/24', '10.38.0.0/24'], '10.38.0.7'),
      has([], '10.0.0.1'),
      has(['10.37.0.1/32'], '10.37.0.1'),
      has(['10.37.0.1/32'], '10.37.0.0'),
      has(['10.37.0.0/31'], '10.37.0.1'),
      has(['10.37.0.0/31'], '10.37.0.2'),
      has(['10.37.1.9/16'], '10.37.255.255'),
      has(['10.37.1.9/16'], '10.38.0.0'),
      has(['fd37:b4dc:4b1e::b/64'], 'fd37:b4dc:4b1e::1'),
    ]).toEqual([
      true,
      false,
      true,
      true,
      false,
      false,
      false,
      false,
      true,
      true,
      false,
      true,
      false,
      true,
      false,
      true,
      false,
      true,
    ]);
  });
});

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
      const p = parsePrefix(text, { hostBits: 'refuse' });
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

  it("parsePrefix with hostBits 'allow': the same prefixes, host bits cleared from the start, the text as written", () => {
    const parsed = (text: string) => {
      const p = parsePrefix(text, { hostBits: 'allow' });
      return typeof p === 'string' ? p : `${p.family} ${p.start.toString(16)}/${p.length} ${p.text}`;
    };
    expect(
      ['10.1.0.0/16', '10.1.2.3/15', 'fd00:8000::1/16', '10.1.2.3/32', '10.1.2.3/33', 'x/8'].map(parsed),
    ).toEqual([
      'ipv4 a010000/16 10.1.0.0/16',
      'ipv4 a000000/15 10.1.2.3/15',
      'ipv6 fd000000000000000000000000000000/16 fd00:8000::1/16',
      'ipv4 a010203/32 10.1.2.3/32',
      'prefix length 33 is too long for ipv4',
      'not an IP address before the slash',
    ]);
  });

  it('prefixContains: equal prefixes count; the family, both ends and the length decide', () => {
    const p = (text: string) => parsePrefix(text, { hostBits: 'refuse' }) as Prefix;
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
    const p = parsePrefix('10.1.64.0/18', { hostBits: 'refuse' }) as Prefix;
    expect(supernet(p, 16)).toEqual({ family: 'ipv4', start: 0x0a010000n, length: 16, text: '10.1.64.0/18' });
    expect(supernet(p, 18)).toEqual(p);
    const v6 = parsePrefix('fd00:2400::/22', { hostBits: 'refuse' }) as Prefix;
    expect(supernet(v6, 20)).toEqual({ ...v6, start: 0xfd002n << 108n, length: 20 });
  });
});
