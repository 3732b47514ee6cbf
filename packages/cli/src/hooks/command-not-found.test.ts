import { describe, expect, it } from 'vitest';
import { notFoundMessage } from './command-not-found.js';

const index = {
  commands: [
    { id: 'fastd:status' },
    { id: 'fastd:limit' },
    { id: 'config:validate' },
    { id: 'config:show' },
    { id: 'internal:thing', hidden: true },
  ],
  topics: [{ name: 'fastd' }, { name: 'config' }],
};

describe('notFoundMessage', () => {
  it('names the command in the words typed and suggests the nearest one', () => {
    expect(notFoundMessage('fastd:stauts', [], index)).toBe(
      '"photon fastd stauts" is not a photon command. Did you mean "photon fastd status"? See "photon --help".',
    );
  });
  it('uses the next word when the topic itself is mistyped', () => {
    expect(notFoundMessage('confg', ['validate'], index)).toContain('Did you mean "photon config validate"?');
    expect(notFoundMessage('confg', ['--json'], index)).toContain('Did you mean "photon config"?');
  });
  it('suggests --version for a mistyped flag in command position', () => {
    expect(notFoundMessage('--versoin', [], index)).toBe(
      'unknown flag "--versoin". Did you mean "photon --version"? See "photon --help".',
    );
  });
  it('never suggests hidden commands or far-away words', () => {
    expect(notFoundMessage('internal:thinh', [], index)).not.toContain('Did you mean');
    expect(notFoundMessage('zzz', [], index)).not.toContain('Did you mean');
  });
});
