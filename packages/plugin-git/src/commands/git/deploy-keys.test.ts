import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DeployResult } from '../../services/key-deployer.js';
import { BareRepo, git, newPublicKey, tempDir } from '../../test-helpers/git-testbed.js';
import { runCommand, writeSettings } from '../../test-helpers/run-command.js';
import GitDeployKeys from './deploy-keys.js';

describe('photon git deploy-keys', () => {
  const dir = tempDir('deploy');
  const keys = Object.fromEntries(['alice', 'bob', 'carol', 'dave'].map((n) => [n, newPublicKey(dir, n)]));
  const sshYaml = (admins: string[]) =>
    [
      'admins: &ADMINS',
      ...admins.map((n) => `  ${n}: ${keys[n]}`),
      'friends: &FRIENDS',
      `  carol: ${keys.carol}`,
      'gateway:',
      '  <<: *ADMINS',
      'builder:',
      '  <<: [*ADMINS, *FRIENDS]',
      '',
    ].join('\n');

  function setup() {
    const base = tempDir('deploy-case');
    const remote = new BareRepo(base, { 'ssh.yaml': sshYaml(['alice', 'bob']) });
    const root = path.join(base, 'root');
    mkdirSync(path.join(root, 'home/gw/.ssh'), { recursive: true });
    const authorized = path.join(root, 'home/gw/.ssh/authorized_keys');
    writeFileSync(authorized, `${keys.dave}\n`, { mode: 0o600 });
    const config = writeSettings(root, {
      photon: { hostname: 'gw01', dataDir: '/var/lib/photon' },
      git: {
        home: '/home/gw',
        deployKeys: { repository: { remote: remote.bare, dir: '/srv/gateway-configs' } },
      },
    });
    const run = (...args: string[]) =>
      runCommand<DeployResult>(GitDeployKeys, [
        ...args,
        '--root',
        root,
        '--config',
        config,
        '--json',
        '--log-level',
        'error',
      ]);
    return { remote, root, authorized, run };
  }

  it('adds the group (merge keys) with markers, is idempotent, prunes only marked keys that left', async () => {
    const { remote, root, authorized, run } = setup();
    const first = await run('builder');
    expect(first.exitCode).toBe(0);
    expect(first.output.result).toMatchObject({
      added: ['alice', 'bob', 'carol'],
      removed: [],
      changed: true,
    });
    const text = readFileSync(authorized, 'utf8');
    expect(text.startsWith(`${keys.dave}\n# photon-managed: group=builder name=alice\n${keys.alice}\n`)).toBe(
      true,
    );
    expect(statSync(authorized).mode & 0o777).toBe(0o600);
    expect(
      readdirSync(path.join(root, 'home/gw/.ssh')).filter((f) => f.startsWith('authorized_keys_backup_')),
    ).toHaveLength(1);

    const again = await run('builder');
    expect(again.output.result).toMatchObject({ added: [], changed: false });
    expect(readFileSync(authorized, 'utf8')).toBe(text);

    remote.commit({ 'ssh.yaml': sshYaml(['alice']) }, 'bob leaves');
    const kept = await run('builder');
    expect(kept.output.result?.removed).toEqual([]);
    expect(readFileSync(authorized, 'utf8')).toContain(keys.bob);
    const pruned = await run('builder', '--prune');
    expect(pruned.output.result).toMatchObject({ removed: ['bob'], added: [] });
    const after = readFileSync(authorized, 'utf8');
    expect(after).not.toContain(keys.bob);
    expect(after).not.toContain('name=bob');
    expect(after).toContain(keys.dave);
    expect(after).toContain(keys.alice);
  });

  it('a corrupt key file, a line that is not a key and an unknown group exit 2 and change nothing', async () => {
    const { remote, authorized, run } = setup();
    const before = readFileSync(authorized, 'utf8');
    expect((await run('nobody')).output).toMatchObject({ exitCode: 2, error: { code: 'CONFIG' } });
    remote.commit(
      { 'ssh.yaml': `admins:\n  alice: ${keys.alice}\n  eve: ssh-rsa AAAAthis-is-no-key eve\n` },
      'bad key',
    );
    const notKey = await run('admins');
    expect(notKey.exitCode).toBe(2);
    expect(notKey.output.error?.message).toMatch(/admins\.eve: not an OpenSSH public key line/);
    remote.commit({ 'ssh.yaml': 'admins: &A\n  alice: [broken\n' }, 'corrupt');
    const corrupt = await run('admins');
    expect(corrupt.exitCode).toBe(2);
    expect(corrupt.output.error?.message).toMatch(/ssh\.yaml:\d+/);
    expect(readFileSync(authorized, 'utf8')).toBe(before);
  });

  it('never writes an authorized_keys without keys (exit 3) and does nothing in dry-run', async () => {
    const { remote, root, authorized, run } = setup();
    writeFileSync(authorized, '');
    remote.commit({ 'ssh.yaml': `admins:\n  alice: ${keys.alice}\n` }, 'only alice');
    expect((await run('admins')).exitCode).toBe(0);
    const installed = readFileSync(authorized, 'utf8');
    // A dry run does not pull; it plans from the clone as it is.
    const clone = path.join(root, 'srv/gateway-configs');
    writeFileSync(path.join(clone, 'ssh.yaml'), `admins:\n  alice: ${keys.alice}\n  bob: ${keys.bob}\n`);
    expect((await run('admins', '--dry-run')).output.result?.added).toEqual(['bob']);
    expect(readFileSync(authorized, 'utf8')).toBe(installed);
    git(clone, 'checkout', '--', 'ssh.yaml');
    // Removing alice from "admins" with --prune would leave no key at all.
    remote.commit({ 'ssh.yaml': 'admins: {}\n' }, 'no admins');
    const refused = await run('admins', '--prune');
    expect(refused.exitCode).toBe(3);
    expect(readFileSync(authorized, 'utf8')).toBe(installed);
    expect(existsSync(authorized)).toBe(true);
  });
});
