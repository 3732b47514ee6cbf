import { DEFAULT_SNAPSHOT_DENY } from '@ffphoton/core';
import { describe, expect, it } from 'vitest';
import { DenyList, globToRegExp } from './deny-list.js';

describe('globToRegExp', () => {
  it('matches whole base names, * as any run and ? as one character', () => {
    const cases: [string, string, boolean][] = [
      ['*.key', 'tls.key', true],
      ['*.key', '.key', true],
      ['*.key', 'tls.key.pub', false],
      ['*.key', 'tlsXkey', false],
      ['id_rsa', 'id_rsa', true],
      ['id_rsa', 'my_id_rsa', false],
      ['id_rsa', 'id_rsa2', false],
      ['key?', 'key1', true],
      ['key?', 'key', false],
      ['key?', 'key12', false],
      ['a+b(c)[d]{e}|f^$\\', 'a+b(c)[d]{e}|f^$\\', true],
      ['a+b', 'aab', false],
      ['[ab]', 'a', false],
    ];
    for (const [glob, name, matches] of cases)
      expect(globToRegExp(glob).test(name), `${glob} ~ ${name}`).toBe(matches);
  });
});

describe('DenyList', () => {
  it('uses the defaults only when asked, always the extra patterns', () => {
    const defaults = new DenyList([], true);
    for (const pattern of DEFAULT_SNAPSHOT_DENY.filter((p) => !/[*?]/.test(p))) {
      expect(defaults.deniesName(pattern), pattern).toBe(true);
      expect(new DenyList([], false).deniesName(pattern), pattern).toBe(false);
    }
    const extra = new DenyList(['*.secret', 'vault'], false);
    expect(['a.secret', 'vault', 'vault.txt', 'id_rsa'].map((name) => extra.deniesName(name))).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });

  it('denies any PEM private key by content, and nothing else', () => {
    const deny = new DenyList([], false);
    const content = (text: string) => deny.deniesContent(Buffer.from(text, 'latin1'));
    expect(content('-----BEGIN RSA PRIVATE KEY-----\nMII...\n')).toBe(true);
    expect(content('prefix\n-----BEGIN PRIVATE KEY-----\n')).toBe(true);
    expect(content('-----BEGIN OPENSSH PRIVATE KEY-----')).toBe(true);
    expect(content('-----BEGIN PUBLIC KEY-----\n')).toBe(false);
    expect(content('-----BEGIN CERTIFICATE-----\n')).toBe(false);
    expect(content('BEGIN RSA PRIVATE KEY')).toBe(false);
    expect(content('-----BEGIN rsa PRIVATE KEY-----')).toBe(false);
    expect(content('')).toBe(false);
  });
});
