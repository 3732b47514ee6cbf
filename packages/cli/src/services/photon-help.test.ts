import { describe, expect, it } from 'vitest';
import { asksHelpForHelp } from './photon-help.js';

describe('asksHelpForHelp', () => {
  it('is the help command asking about itself, and nothing else', () => {
    expect(asksHelpForHelp(['help'])).toBe(true); // photon help help
    expect(asksHelpForHelp(['help', '--help'])).toBe(true);
    expect(asksHelpForHelp(['help', '-h'])).toBe(true);
    expect(asksHelpForHelp([])).toBe(false); // photon help
    expect(asksHelpForHelp(['--help'])).toBe(false); // photon --help
    expect(asksHelpForHelp(['fastd', 'limit'])).toBe(false);
    expect(asksHelpForHelp(['help', 'fastd'])).toBe(false);
    expect(asksHelpForHelp(['fastd', 'help'])).toBe(false);
  });
});
