import { describe, expect, it } from 'vitest';
import { closestWord, editDistance } from './closest-word.js';

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and adjacent swaps as one edit each', () => {
    expect(editDistance('status', 'status')).toBe(0);
    expect(editDistance('stauts', 'status')).toBe(1);
    expect(editDistance('confg', 'config')).toBe(1);
    expect(editDistance('configg', 'config')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });
});

describe('closestWord', () => {
  const commands = ['fastd:status', 'fastd:limit', 'fastd:sync-keys', 'config:validate', 'config:show'];
  it('finds the nearest candidate, ignoring case', () => {
    expect(closestWord('fastd:stauts', commands)).toBe('fastd:status');
    expect(closestWord('CONFIG:SHWO', commands)).toBe('config:show');
  });
  it('gives no hint when nothing is close for the word length', () => {
    expect(closestWord('icvpn:update', commands)).toBeUndefined();
    expect(closestWord('ab', ['xy'])).toBeUndefined();
  });
  it('prefers the first of equally near candidates', () => {
    expect(closestWord('lima', ['limb', 'lime'])).toBe('limb');
  });
});
