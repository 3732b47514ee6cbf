import { describe, expect, it } from 'vitest';
import { formatAge, worstState } from './status-section.js';

describe('status section helpers', () => {
  it('formats an age in the largest unit that stays readable', () => {
    expect(formatAge(0)).toBe('0 s');
    expect(formatAge(119)).toBe('119 s');
    expect(formatAge(120)).toBe('2 min');
    expect(formatAge(7199)).toBe('120 min');
    expect(formatAge(7200)).toBe('2 h');
    expect(formatAge(172_799)).toBe('48 h');
    expect(formatAge(172_800)).toBe('2 days');
  });

  it('shows a negative age (clock skew) as 0 s', () => {
    expect(formatAge(-5)).toBe('0 s');
  });

  it('picks the worst state, rows without a state counting as ok', () => {
    expect(worstState([])).toBe('ok');
    expect(worstState(['ok', undefined])).toBe('ok');
    expect(worstState(['ok', 'warning'])).toBe('warning');
    expect(worstState(['warning', 'unavailable', 'ok'])).toBe('unavailable');
    expect(worstState(['unavailable', 'failed', 'warning'])).toBe('failed');
  });
});
