import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileStore } from '../fs/file-store.js';
import { RootSandbox } from '../fs/root-sandbox.js';
import { photonSettings } from '../settings/core-settings.js';
import { gitSettings } from './git-settings.js';
import { expandHome } from './home-path.js';
import { shellQuote, sshArgv } from './ssh-command.js';

describe('ssh for git', () => {
  it('builds the ssh argv from settings, inside --root: config only when it exists, key only when set', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'photon-ssh-'));
    const files = new FileStore(new RootSandbox(root));
    const plain = gitSettings.schema.parse({ home: '/home/gw' });
    expect(await sshArgv(plain, files)).toEqual([
      'ssh',
      '-o',
      'BatchMode=yes',
      '-o',
      'ConnectTimeout=15',
      '-o',
      `UserKnownHostsFile=${root}/home/gw/.ssh/known_hosts`,
      '-o',
      'StrictHostKeyChecking=accept-new',
    ]);
    mkdirSync(path.join(root, 'home/gw/.ssh'), { recursive: true });
    writeFileSync(path.join(root, 'home/gw/.ssh/config'), 'Host *\n');
    const full = gitSettings.schema.parse({
      home: '/home/gw',
      ssh: {
        key: '~/.ssh/id_ed25519',
        command: ['ssh', '-4'],
        connectTimeoutSeconds: 5,
        strictHostKeyChecking: 'yes',
        knownHosts: '/etc/ssh/known',
      },
    });
    expect(await sshArgv(full, files)).toEqual([
      'ssh',
      '-4',
      '-o',
      'BatchMode=yes',
      '-o',
      'ConnectTimeout=5',
      '-F',
      `${root}/home/gw/.ssh/config`,
      '-o',
      `UserKnownHostsFile=${root}/etc/ssh/known`,
      '-o',
      'StrictHostKeyChecking=yes',
      '-i',
      `${root}/home/gw/.ssh/id_ed25519`,
      '-o',
      'IdentitiesOnly=yes',
    ]);
  });

  it('quotes a word for sh only when it needs it', () => {
    expect(
      [
        'ssh',
        '/root/.ssh/id_ed25519',
        'user@host:22',
        'a=b,c%d+e',
        '',
        'two words',
        "it's",
        '$HOME',
        'a\nb',
      ].map(shellQuote),
    ).toEqual([
      'ssh',
      '/root/.ssh/id_ed25519',
      'user@host:22',
      'a=b,c%d+e',
      "''",
      "'two words'",
      "'it'\\''s'",
      "'$HOME'",
      "'a\nb'",
    ]);
  });

  it('expands a leading ~ only, to the given home or $HOME', () => {
    expect(['~', '~/x/y', '~x', '/a/~/b', 'rel'].map((p) => expandHome(p, '/home/gw'))).toEqual([
      '/home/gw',
      '/home/gw/x/y',
      '~x',
      '/a/~/b',
      'rel',
    ]);
    expect(expandHome('~/k')).toBe(path.posix.join(process.env.HOME || os.homedir(), 'k'));
  });
});

describe('programs the settings name (for photon doctor)', () => {
  it("git's: git, ssh, the key validator, snapshot commands (set ones replace the defaults) and on-change hooks", () => {
    const git = gitSettings.schema.parse({
      ssh: { command: ['/usr/bin/ssh'] },
      snapshot: { commands: { uname: ['uname', '-a'] } },
      repositories: [{ dir: '/a', onChange: ['systemctl', 'reload', 'nginx'] }, { dir: '/b' }],
    });
    expect(gitSettings.programs?.(git)).toEqual(['git', '/usr/bin/ssh', 'ssh-keygen', 'uname', 'systemctl']);
    expect(gitSettings.programs?.(gitSettings.schema.parse({}))).toEqual([
      'git',
      'ssh',
      'ssh-keygen',
      'crontab',
      'dpkg',
    ]);
  });

  it("photon's: the service templates, with sudo when the services use it", () => {
    const photon = (services: Record<string, unknown>) =>
      photonSettings.programs?.(photonSettings.schema.parse({ services }));
    expect(photon({})).toEqual(['systemctl']);
    expect(photon({ sudo: true, reload: ['rc-service', '{unit}', 'reload'] })).toEqual([
      'sudo',
      'rc-service',
      'systemctl',
    ]);
  });
});
