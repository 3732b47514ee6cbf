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

describe('validatePeerFile, statement by statement', () => {
  const accepted = (text: string) =>
    expect({ text, result: validatePeerFile(text) }).toEqual({ text, result: { key: KEY } });
  const refused = (text: string, reason: string) => {
    let error: unknown;
    try {
      validatePeerFile(text);
    } catch (e) {
      error = e;
    }
    expect({ text, error }).toEqual({ text, error: new PeerFileRefusal(reason) });
    expect(error).toBeInstanceOf(PeerFileRefusal);
  };
  const k = `key "${KEY}";`;

  it('takes the key in lower case, as exactly 64 hex digits in one string', () => {
    accepted(`key "${KEY.toUpperCase()}";`);
    const bad = '"key" must be one quoted string of 64 hex digits';
    refused(`key "${KEY}0";`, bad);
    refused(`key "0${KEY}";`, bad);
    refused(`key "${KEY.slice(1)}";`, bad);
    refused(`key "${KEY.slice(1)}g";`, bad);
    refused(`key ${KEY};`, bad);
    refused(`key "${KEY}" "${KEY}";`, bad);
    refused('key;', bad);
    refused(`${k}\nkey "${'0'.repeat(64)}";`, 'a second "key" statement');
  });

  it.each([
    '192.0.2.1:10000',
    '1.2.3.4:1',
    'ipv4 192.0.2.1:65535',
    '[2001:db8::1]:10000',
    'ipv6 [fe80::1%eth0]:1',
    '"vpn.example.org" port 10037',
    '"gw-1.example.org" port 1',
    '"192.0.2.1" port 65535',
    '"gw" port 010',
    '255.255.255.255:65535',
    '0.0.0.0:01',
    '[::]:1',
    '[2001:DB8::1]:1',
    '[fe80::1%eth0.5]:1',
    '"2001:db8::1" port 10000',
    'ipv4 "gw.example.org" port 1',
  ])('accepts remote %s', (remote) => {
    accepted(`${k}\nremote ${remote};`);
  });

  it.each([
    'x192.0.2.1:1',
    '192.0.2.1:1x',
    '1234.0.2.1:1',
    '192.0.2:1',
    '192.0.2.1.5:1',
    '192.0.2.1:123456',
    '192.0.2.1:',
    '192.0.2.1',
    '[]:1',
    '[2001:db8::1]',
    '[2001:db8::1]:',
    'x[::1]:1',
    '[::1]:1x',
    '[::1/64]:1',
    'a.b.c.d:1',
    'ipv5 192.0.2.1:1',
    'ipv4',
    '',
    'vpn.example.org port 1',
    '"" port 1',
    '"gw example" port 1',
    '"gw_1" port 1',
    '"gw" prt 1',
    '"gw" port',
    '"gw" port 123456',
    '"gw" port 1x',
    '"gw" port x1',
    '"gw" port 1 float',
    '"gw" "gw" port 1',
    'ipv4 ipv6 "gw" port 1',
    // Each of these is accepted by a looser reading and refused by fastd (v22) itself:
    // "syntax error" or "invalid port".
    '"gw" port "10000"',
    '"gw" "port" 1',
    '"gw" port 0',
    '"gw" port 65536',
    '"gw" port 99999',
    '"gw" port 1e3',
    '"192.0.2.1:10000"',
    '"gw" port +1',
    '"gw" port 1.0',
    '999.0.2.1:1',
    '256.0.0.1:1',
    '192.0.2.01:1',
    '192.0.2.1:0',
    '192.0.2.1:65536',
    '[zz]:1',
    '[2001:db8::g]:1',
    '[1:2:3:4:5:6:7:8:9]:1',
    '[::ffff:192.0.2.1]:1',
  ])('refuses remote %s', (remote) => {
    refused(`${k}\nremote ${remote};`, 'malformed "remote" statement');
  });

  it('takes float yes or no, nothing else', () => {
    accepted(`${k}\nfloat yes;`);
    accepted(`${k}\nfloat no;`);
    for (const args of ['', 'maybe', 'yes no', '"yes" yes', 'YES'])
      refused(`${k}\nfloat ${args};`, '"float" takes yes or no');
  });

  it('skips empty statements and names what starts a statement wrongly', () => {
    accepted(`;${k};;\n;`);
    refused(`"key" "${KEY}";`, 'unexpected string "key"');
    refused(`${k}\n{ float yes; }`, 'unexpected brace "{"');
    refused(`${k}\n};`, 'unexpected brace "}"');
    refused(`${k}\nfloat yes`, 'statement "float" is not terminated by ";"');
    refused(`${k}\n"x"`, 'statement "x" is not terminated by ";"');
    refused('', 'no "key" statement');
    refused('float yes;', 'no "key" statement');
  });

  it('names a forbidden statement by its first 60 characters', () => {
    refused(`${k}\non up "x";`, 'forbidden statement "on up x"');
    refused(`${k}\nsecure handshakes no;`, 'forbidden statement "secure handshakes no"');
    const long = `on up "${'y'.repeat(100)}";`;
    refused(`${k}\n${long}`, `forbidden statement "${`on up ${'y'.repeat(100)}`.slice(0, 60)}"`);
    refused(`${k}\nkeys "${KEY}";`, `forbidden statement "keys ${KEY.slice(0, 55)}"`);
  });

  it('refuses a comment glued to a word, not one after a string, a semicolon or a blank', () => {
    accepted(`key "${KEY}"# c\n;`);
    accepted(`${k}# c\nfloat yes; // c\n`);
    accepted(`${k}\nfloat yes /* c */;`);
    accepted(`${k}\n/* a *//* b */float yes;`);
    refused(`${k}\nfloat yes# c\n;`, 'comment directly after "yes"');
    refused(`${k}\nfloat yes/* c */;`, 'comment directly after "yes"');
    refused(`${k}\nfloat ${'y'.repeat(80)}// c\n;`, `comment directly after "${'y'.repeat(60)}"`);
  });

  it('refuses what fastd cannot read, the first problem in the text first', () => {
    refused(`${k}\n/* c`, 'unterminated /* comment');
    refused(`${k}\nremote "a\nb" port 1;`, 'unterminated string');
    refused(`${k}\nremote "ab`, 'unterminated string');
    refused(`${k}\n"ab /* c`, 'unterminated string');
    refused(`${k}\n/* c "ab`, 'unterminated /* comment');
    refused(`${k}\nfloat yes/* c`, 'comment directly after "yes"');
  });

  it('unescapes strings before checking them', () => {
    accepted(`key "${KEY.slice(0, 10)}\\${KEY.slice(10)}";`);
  });
});

describe('peer file names', () => {
  it.each([
    ['.hidden', true],
    ['.', true],
    ['node~', true],
    ['README.md', true],
    ['notes.MD', true],
    ['readme.txt', true],
    ['README', true],
    ['LICENSE-MIT', true],
    ['license', true],
    ['COPYING', true],
    ['copying.lesser', true],
    ['c1node', false],
    ['a~b', false],
    ['a.b', false],
    ['xmd', false],
    ['a.md.bak', false],
    ['my-README', false],
    ['xLICENSE', false],
    ['node.', false],
  ])('%s is ignored: %s', (name, ignored) => {
    expect(isIgnoredPeerName(name)).toBe(ignored);
  });

  it.each([
    ['a', true],
    ['Z', true],
    ['0', true],
    ['02cafe0000a1', true],
    ['a.b_c@d+e-f', true],
    ['Node-9', true],
    ['a'.repeat(128), true],
    ['a'.repeat(129), false],
    ['', false],
    ['.x', false],
    ['_x', false],
    ['-x', false],
    ['@x', false],
    ['x/y', false],
    ['x y', false],
    ['ab/', false],
    ['a\n', false],
    ['nödé', false],
    ['x$', false],
    ['x*', false],
  ])('%j is a safe name: %s', (name, safe) => {
    expect(isSafePeerName(name)).toBe(safe);
  });
});
