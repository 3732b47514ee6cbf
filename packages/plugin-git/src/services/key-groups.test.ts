import { ConfigError } from '@ffphoton/core';
import { describe, expect, it } from 'vitest';
import { newPublicKey, tempDir } from '../test-helpers/git-testbed.js';
import { readKeyGroup } from './key-groups.js';
import { parsePublicKey } from './ssh-public-key.js';

const dir = tempDir('git-key-groups');
const alice = newPublicKey(dir, 'alice');
const bob = newPublicKey(dir, 'bob');

/** The error readKeyGroup throws for a text, as `{message, file, keyPath}`. */
function failure(text: string, group = 'admins') {
  try {
    readKeyGroup(text, 'ssh.yaml', group);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const { message, location } = error as ConfigError;
    return { message, ...location };
  }
  throw new Error('readKeyGroup accepted the text');
}

describe('readKeyGroup', () => {
  it('returns every key of the group with its name, in file order', () => {
    const yaml = `admins:\n  alice.a@x-1_2: ${alice}\n  bob: "${bob}"\nfriends:\n  carol: ${bob}\n`;
    expect(readKeyGroup(yaml, 'ssh.yaml', 'admins')).toEqual([
      { name: 'alice.a@x-1_2', key: parsePublicKey(alice) },
      { name: 'bob', key: parsePublicKey(bob) },
    ]);
    expect(readKeyGroup('admins: {}\n', 'ssh.yaml', 'admins')).toEqual([]);
  });

  it('refuses a file that is not a mapping of groups', () => {
    for (const text of ['', '- admins\n', 'admins\n', '42\n']) {
      expect(failure(text), JSON.stringify(text)).toEqual({
        message: 'ssh.yaml: expected a mapping of groups',
        file: 'ssh.yaml',
      });
    }
  });

  it('names the groups there are when the group is missing', () => {
    expect(failure('admins: {}\nfriends: {}\n', 'nobody')).toEqual({
      message: 'ssh.yaml: no group "nobody"; groups: admins, friends',
      file: 'ssh.yaml',
    });
  });

  it('refuses a group that is not a mapping of names to keys', () => {
    for (const text of ['admins:\n', 'admins: []\n', `admins:\n  - ${alice}\n`, 'admins: key\n']) {
      expect(failure(text), text).toEqual({
        message: 'ssh.yaml: admins: expected a mapping of key names to public keys',
        file: 'ssh.yaml',
        keyPath: 'admins',
      });
    }
  });

  it('names the key that is not a public key or has a bad name', () => {
    expect(failure(`admins:\n  alice: ${alice}\n  eve: 42\n`)).toEqual({
      message: 'ssh.yaml: admins.eve: not an OpenSSH public key line',
      file: 'ssh.yaml',
      keyPath: 'admins.eve',
    });
    expect(failure(`admins:\n  eve: "-----BEGIN OPENSSH PRIVATE KEY-----"\n`).keyPath).toBe('admins.eve');
    for (const name of ['eve smith', '../eve', 'eve/x', 'eve!']) {
      expect(failure(`admins:\n  "${name}": ${alice}\n`), name).toEqual({
        message: `ssh.yaml: admins.${name}: key names may use letters, digits and _.@- only`,
        file: 'ssh.yaml',
        keyPath: `admins.${name}`,
      });
    }
  });
});
