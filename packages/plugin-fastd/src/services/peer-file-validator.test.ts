import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  isIgnoredPeerName,
  isSafePeerName,
  PeerFileRefusal,
  validatePeerFile,
} from './peer-file-validator.js';

const KEY = '3b63ff6343de09dddc10942767b41ea30a442e3ab6833b47ce0df3243fb3d71a';
const dir = (name: string) => new URL(`../../test-data/${name}/`, import.meta.url);

describe('validatePeerFile', () => {
  it.each(['peers-synthetic', 'peers-testbed'])('accepts every real peer file in %s', (name) => {
    for (const file of readdirSync(dir(name))) {
      const { key } = validatePeerFile(readFileSync(new URL(file, dir(name)), 'utf8'));
      expect(key).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('accepts comments, remote and float statements, and no final newline', () => {
    const text = `#Name: x \n# MAC: 02:00\nkey "${KEY.toUpperCase()}";\nremote "vpn.example.org" port 10037;\nremote 192.0.2.1:10000;\nremote ipv6 "gw.example.org" port 1;\nremote [2001:db8::1]:10000;\nfloat yes;`;
    expect(validatePeerFile(text)).toEqual({ key: KEY });
  });

  it.each([
    ['on up', `key "${KEY}";\non up "rm -rf /";`, /forbidden statement "on up/],
    ['include', `key "${KEY}";\ninclude "/etc/shadow";`, /forbidden statement "include/],
    ['a second key', `key "${KEY}";\nkey "${KEY}";`, /second "key"/],
    ['a short key', 'key "abcd";', /64 hex/],
    ['no key', '# only a comment\n', /no "key"/],
    ['an unterminated statement', `key "${KEY}"`, /not terminated/],
    ['a peer group', `peer group "x" { key "${KEY}"; }`, /forbidden statement "peer group/],
    ['a remote with a shell payload', `key "${KEY}";\nremote "$(reboot)" port 1;`, /malformed "remote"/],
    ['an unterminated string', 'key "abc', /unterminated string/],
  ])('refuses %s', (_what, text, message) => {
    expect(() => validatePeerFile(text)).toThrow(PeerFileRefusal);
    expect(() => validatePeerFile(text)).toThrow(message);
  });

  it('ignores what fastd ignores and refuses unsafe names', () => {
    expect(['.hidden', 'node~', 'README.md', 'README', 'notes.md'].every(isIgnoredPeerName)).toBe(true);
    expect(isIgnoredPeerName('c1node')).toBe(false);
    expect(isSafePeerName('02cafe0000a1')).toBe(true);
    expect(isSafePeerName('bad name')).toBe(false);
    expect(isSafePeerName('-x')).toBe(false);
  });
});
