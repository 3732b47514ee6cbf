import { describe, expect, it } from 'vitest';
import { randomHex } from './random-hex.js';

describe('randomHex', () => {
  it('gives two lowercase hex digits per byte, small bytes zero-padded, and differs between calls', () => {
    for (const bytes of [0, 1, 4, 6])
      expect(randomHex(bytes)).toMatch(new RegExp(`^[0-9a-f]{${2 * bytes}}$`));
    // Over many draws every byte value turns up, also those below 16 (padded) and 255.
    const seen = new Set<string>();
    for (let i = 0; i < 20_000; i++) seen.add(randomHex(1));
    expect(seen.size).toBe(256);
    expect(new Set(Array.from({ length: 100 }, () => randomHex(6))).size).toBe(100);
  });
});
