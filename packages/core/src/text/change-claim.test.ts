import { describe, expect, it } from 'vitest';
import { changeClaim, changeDone, PAST_TENSE_CLAIMS } from './change-claim.js';

describe('changeClaim and changeDone', () => {
  it('word a change in the past for a real run and with "would" for a dry run', () => {
    expect(changeClaim('write', false)).toBe('wrote');
    expect(changeClaim('write', true)).toBe('would write');
    expect(changeClaim('signal', false)).toBe('signalled');
    expect(changeClaim('restart', true)).toBe('would restart');
    expect(changeDone('write', false)).toBe('written');
    expect(changeDone('write', true)).toBe('would be written');
    expect(changeDone('remove', true)).toBe('would be removed');
  });

  it('PAST_TENSE_CLAIMS finds past-tense claims, but not "unchanged" or a "would" claim', () => {
    expect(PAST_TENSE_CLAIMS.test('web build: 3 of 3 pages changed')).toBe(true);
    expect(PAST_TENSE_CLAIMS.test('Installed 12 jobs')).toBe(true);
    expect(PAST_TENSE_CLAIMS.test('13 written, 0 removed')).toBe(true);
    expect(PAST_TENSE_CLAIMS.test('/etc/bird/x.conf: unchanged')).toBe(false);
    expect(PAST_TENSE_CLAIMS.test('3 of 3 pages would change')).toBe(false);
    expect(PAST_TENSE_CLAIMS.test('13 would be written, 0 would be removed')).toBe(false);
    expect(PAST_TENSE_CLAIMS.test('pre-installed')).toBe(false);
    expect(PAST_TENSE_CLAIMS.test('no gateway online: nothing changed')).toBe(false);
  });
});
