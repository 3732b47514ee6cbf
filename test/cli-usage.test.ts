import { describe, expect, it } from 'vitest';
import { photon } from './helpers/photon.js';

// Usage mistakes an admin makes at the prompt: each exits 2 (the README's usage-error code) with
// one message in the words typed, and a hint where one is close.
describe('photon usage errors', () => {
  it('a mistyped command suggests the real one and exits 2', async () => {
    const r = await photon(['fastd', 'stauts']);
    expect(r.code).toBe(2);
    expect(r.stderr.replace(/\s+/g, ' ')).toContain(
      '"photon fastd stauts" is not a photon command. Did you mean "photon fastd status"?',
    );
    expect(r.stderr).not.toContain('fastd:stauts');
    expect(r.stdout).toBe('');
  });

  it('a mistyped topic and a mistyped --version get hints too', async () => {
    const topic = await photon(['confg', 'validate']);
    expect(topic.code).toBe(2);
    expect(topic.stderr.replace(/\s+/g, ' ')).toContain('Did you mean "photon config validate"?');
    const version = await photon(['--versoin']);
    expect(version.code).toBe(2);
    expect(version.stderr.replace(/\s+/g, ' ')).toContain('Did you mean "photon --version"?');
  });

  it('an unknown flag names the nearest real flag and exits 2', async () => {
    const r = await photon(['fastd', 'limit', '--dry-rn']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Nonexistent flag: --dry-rn. Did you mean --dry-run?');
  });

  it('a bad option value, a bad integer and a missing argument exit 2', async () => {
    for (const args of [
      ['fastd', 'limit', '--log-level', 'loud'],
      ['history', '--limit', 'many'],
      ['fastd', 'verify'],
    ]) {
      const r = await photon(args);
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
    }
  });
});
