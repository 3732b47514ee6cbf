import { type ParsedIp, type Prefix, PrefixSet, parseIp, parsePrefix } from '@ffphoton/core';
import { describe, expect, it } from 'vitest';
import { constantPrefix, LINK_LOCAL_V6, TRANSFER, TRANSFER_NETWORKS } from './transfer-networks.js';

const ip = (text: string) => parseIp(text) as ParsedIp;

const hexGroups = (n: bigint) =>
  Array.from({ length: 8 }, (_, i) => Number((n >> BigInt(112 - 16 * i)) & 0xffffn));

describe('transfer networks', () => {
  it('a typo in a constant prefix is a bug: it throws at once, naming the prefix and why', () => {
    expect(() => constantPrefix('10.207.0.0/33')).toThrow(
      new TypeError('10.207.0.0/33 is not a prefix: prefix length 33 is too long for ipv4'),
    );
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
      const p = parsePrefix(prefixText, { hostBits: 'refuse' }) as Prefix;
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
});
