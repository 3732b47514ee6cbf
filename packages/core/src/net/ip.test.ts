import { isIP } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPrefix, PrefixSet, parseIp } from './ip.js';

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
        expect(parseIp(address)?.family).toBe(6);
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
      cases.map(([text, bytes]) => (bytes === undefined ? undefined : text.includes(':') ? 6 : 4)),
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
    ]);
  });
});
