import { describe, expect, it } from 'vitest';
import { newPublicKey, tempDir } from '../test-helpers/git-testbed.js';
import { blobOf, MARKER_PREFIX, planAuthorizedKeys } from './authorized-keys.js';
import { parsePublicKey } from './ssh-public-key.js';

const dir = tempDir('git-authorized-keys');
const alice = newPublicKey(dir, 'alice');
const bob = newPublicKey(dir, 'bob');
const carol = newPublicKey(dir, 'carol');
const k = (name: string, line: string) => ({ name, key: parsePublicKey(line)! });
const marker = (group: string, name: string) => `${MARKER_PREFIX} group=${group} name=${name}`;

describe('blobOf', () => {
  it('finds the key blob after options, and nothing in other lines', () => {
    const blob = parsePublicKey(alice)!.blob;
    expect(blobOf(alice)).toBe(blob);
    expect(blobOf(`  from="10.0.0.1",no-pty ${alice}  `)).toBe(blob);
    expect(blobOf(`command="echo hi" restrict ${alice}`)).toBe(blob);
    expect(blobOf(marker('admins', 'alice'))).toBeUndefined();
    expect(blobOf('')).toBeUndefined();
    expect(blobOf(alice.split(' ').slice(0, 1).join(' '))).toBeUndefined();
  });
});

describe('planAuthorizedKeys', () => {
  it('writes the keys of an empty file with their markers', () => {
    expect(planAuthorizedKeys('', 'admins', [k('alice', alice), k('bob', bob)], false)).toEqual({
      text: `${marker('admins', 'alice')}\n${alice}\n${marker('admins', 'bob')}\n${bob}\n`,
      added: ['alice', 'bob'],
      removed: [],
      present: [],
    });
    expect(planAuthorizedKeys('', 'admins', [], true)).toEqual({
      text: '',
      added: [],
      removed: [],
      present: [],
    });
  });

  it('keeps everything else byte for byte and adds a key only once', () => {
    const current = `# my keys\n\ncommand="true" ${carol}\n${bob}`;
    expect(
      planAuthorizedKeys(current, 'admins', [k('bob', bob), k('bob2', bob), k('alice', alice)], false),
    ).toEqual({
      text: `# my keys\n\ncommand="true" ${carol}\n${bob}\n${marker('admins', 'alice')}\n${alice}\n`,
      added: ['alice'],
      removed: [],
      present: ['bob', 'bob2'],
    });
  });

  it('prunes keys photon added for this group only, with their markers', () => {
    const current = [
      marker('admins', 'alice'),
      alice,
      marker('friends', 'bob'),
      bob,
      marker('admins', 'carol'),
      carol,
      `${MARKER_PREFIX} something else`,
      '# photon-managed: group=admins name=dangling',
      '',
    ].join('\n');
    expect(planAuthorizedKeys(current, 'admins', [k('carol', carol)], true)).toEqual({
      text: [
        marker('friends', 'bob'),
        bob,
        marker('admins', 'carol'),
        carol,
        `${MARKER_PREFIX} something else`,
        '# photon-managed: group=admins name=dangling',
        '',
      ].join('\n'),
      added: [],
      removed: ['alice'],
      present: ['carol'],
    });
    // Without prune nothing goes; a marker followed by a non-key line is left alone.
    expect(planAuthorizedKeys(current, 'admins', [], false).text).toBe(current);
    const odd = `${marker('admins', 'x')}\n# not a key\n`;
    expect(planAuthorizedKeys(odd, 'admins', [], true).text).toBe(odd);
  });

  it('prunes a marker with extra blanks but never a look-alike comment that is not a marker', () => {
    const current = `# group=admins name=alice\n${alice}\n${MARKER_PREFIX} group=admins   name=bob\n${bob}\n`;
    expect(planAuthorizedKeys(current, 'admins', [], true)).toEqual({
      text: `# group=admins name=alice\n${alice}\n`,
      added: [],
      removed: ['bob'],
      present: [],
    });
  });

  it('removes the last key photon added, leaving an empty text', () => {
    const plan = planAuthorizedKeys(`${marker('admins', 'alice')}\n${alice}\n`, 'admins', [], true);
    expect(plan).toEqual({ text: '', added: [], removed: ['alice'], present: [] });
  });

  it('re-adds a pruned key that is wanted under another name without duplicating it', () => {
    const current = `${marker('admins', 'old')}\n${alice}\n`;
    expect(planAuthorizedKeys(current, 'admins', [k('alice', alice)], true)).toEqual({
      text: current,
      added: [],
      removed: [],
      present: ['alice'],
    });
  });
});
