import { byCodeUnit } from '@ffphoton/core';

/**
 * Rendezvous (highest-random-weight) scores: every (key, candidate) pair gets a fixed
 * pseudo-random weight, so a candidate's preference order never depends on the other
 * hosts in the fleet. That is what keeps slots in place when a gateway joins or leaves.
 */
export function score(...parts: (string | number)[]): number {
  // FNV-1a over the parts, then murmur3's finalizer for avalanche.
  let h = 0x811c9dc5;
  const text = parts.join('\u0000');
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The candidates ordered by their weight for `key`, highest first (ties broken by value). */
export function preferenceOrder<T extends string | number>(
  key: (string | number)[],
  candidates: readonly T[],
): T[] {
  return candidates
    .map((candidate) => ({ candidate, weight: score(...key, candidate) }))
    .sort((a, b) => b.weight - a.weight || byCodeUnit(String(a.candidate), String(b.candidate)))
    .map((entry) => entry.candidate);
}
