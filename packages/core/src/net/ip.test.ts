import { isIP } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PrefixSet, parseIp } from './ip.js';

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
