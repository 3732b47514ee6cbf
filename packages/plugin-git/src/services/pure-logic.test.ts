import { ConfigError } from '@ffphoton/core';
import { describe, expect, it } from 'vitest';
import { newPublicKey, tempDir } from '../test-helpers/git-testbed.js';
import { MARKER_PREFIX, planAuthorizedKeys } from './authorized-keys.js';
import { DenyList } from './deny-list.js';
import { readKeyGroup } from './key-groups.js';
import { upsertHostBlock } from './ssh-config-block.js';
import { parsePublicKey } from './ssh-public-key.js';

const dir = tempDir('git-unit');
const alice = newPublicKey(dir, 'alice');
const bob = newPublicKey(dir, 'bob');
const carol = newPublicKey(dir, 'carol');

describe('upsertHostBlock', () => {
  const block = {
    alias: 'github',
    hostname: 'github.com',
    user: 'git',
    identityFile: '/root/.ssh/gw1_github',
  };

  it('adds the block once, keeps other hosts, and updates it in place', () => {
    const existing = 'Host backup\n\tHostName backup.example.org\n\n# trailing note\n';
    const added = upsertHostBlock(existing, block);
    expect(added.action).toBe('added');
    expect(added.text.startsWith(existing.trimEnd())).toBe(true);
    expect(upsertHostBlock(added.text, block)).toEqual({ text: added.text, action: 'unchanged' });
    const moved = upsertHostBlock(added.text, { ...block, port: 2222 });
    expect(moved.action).toBe('updated');
    expect(moved.text.match(/^Host github$/gm)).toHaveLength(1);
    expect(moved.text).toContain('\tPort 2222');
    expect(moved.text).toContain('Host backup\n\tHostName backup.example.org');
    expect(upsertHostBlock(moved.text, { ...block, port: 2222 }).action).toBe('unchanged');
  });

  it('replaces a hand-written block for the alias instead of adding a second one', () => {
    const manual = 'Host github\n\tUser git\n\tIdentityFile ~/.ssh/old_rsa\nHost other\n\tUser x\n';
    const result = upsertHostBlock(manual, block);
    expect(result.action).toBe('updated');
    expect(result.text.match(/^Host github$/gm)).toHaveLength(1);
    expect(result.text).not.toContain('old_rsa');
    expect(result.text).toContain('Host other\n\tUser x');
  });
});

describe('parsePublicKey', () => {
  it('accepts OpenSSH public keys and refuses lookalikes', () => {
    expect(parsePublicKey(alice)).toMatchObject({ type: 'ssh-ed25519', comment: 'alice@example.org' });
    expect(parsePublicKey('ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIAAA x')).toBeUndefined();
    expect(parsePublicKey('-----BEGIN OPENSSH PRIVATE KEY-----')).toBeUndefined();
    expect(parsePublicKey('SHA256:abcdef alice')).toBeUndefined();
    expect(parsePublicKey('ssh-ed25519 not-base64!')).toBeUndefined();
  });
});

describe('planAuthorizedKeys', () => {
  const k = (name: string, line: string) => ({ name, key: parsePublicKey(line)! });

  it('adds missing keys with a marker and never duplicates', () => {
    const first = planAuthorizedKeys(`${bob}\n`, 'admins', [k('alice', alice), k('bob', bob)], false);
    expect(first.added).toEqual(['alice']);
    expect(first.present).toEqual(['bob']);
    expect(first.text).toBe(`${bob}\n${MARKER_PREFIX} group=admins name=alice\n${alice}\n`);
    expect(planAuthorizedKeys(first.text, 'admins', [k('alice', alice), k('bob', bob)], false).text).toBe(
      first.text,
    );
  });

  it('prunes only keys photon added for this group', () => {
    const start = planAuthorizedKeys(
      `command="true" ${carol}\n`,
      'admins',
      [k('alice', alice), k('carol', carol)],
      false,
    );
    const withFriends = planAuthorizedKeys(start.text, 'friends', [k('bob', bob)], false).text;
    const pruned = planAuthorizedKeys(withFriends, 'admins', [], true);
    expect(pruned.removed).toEqual(['alice']);
    expect(pruned.text).toContain(carol);
    expect(pruned.text).toContain(bob);
    expect(pruned.text).not.toContain(alice);
  });
});

describe('readKeyGroup', () => {
  const yaml = [
    'admins: &ADMINS',
    `  alice: ${alice}`,
    'friends: &FRIENDS',
    `  bob: ${bob}`,
    'builder:',
    '  <<: [*ADMINS, *FRIENDS]',
    `  carol: ${carol}`,
    '',
  ].join('\n');

  it('resolves merge keys', () => {
    expect(
      readKeyGroup(yaml, 'ssh.yaml', 'builder')
        .map((key) => key.name)
        .sort(),
    ).toEqual(['alice', 'bob', 'carol']);
  });

  it('names the file, line and key of bad input', () => {
    expect(() => readKeyGroup('admins:\n  alice: [unclosed\n', 'ssh.yaml', 'admins')).toThrow(ConfigError);
    expect(() => readKeyGroup(yaml, 'ssh.yaml', 'nobody')).toThrow(
      /no group "nobody"; groups: admins, friends, builder/,
    );
    expect(() => readKeyGroup('admins:\n  eve: ssh-rsa hello\n', 'ssh.yaml', 'admins')).toThrow(
      /ssh.yaml: admins.eve: not an OpenSSH public key line/,
    );
  });
});

describe('DenyList', () => {
  it('denies private keys by name and by content', () => {
    const deny = new DenyList(['*.secret'], true);
    for (const name of [
      'id_rsa',
      'id_ed25519',
      'gw1_github',
      'gw1_rsa',
      'ssh_host_ed25519_key',
      'tls.key',
      'x.secret',
    ]) {
      expect(deny.deniesName(name), name).toBe(!name.startsWith('gw1_github'));
    }
    expect(deny.deniesName('id_rsa.pub')).toBe(false);
    expect(deny.deniesContent(Buffer.from('x\n-----BEGIN OPENSSH PRIVATE KEY-----\n'))).toBe(true);
    expect(new DenyList([], false).deniesName('id_rsa')).toBe(false);
  });
});
