import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SyncResult } from '../../services/repository-sync.js';
import { BareRepo, git, tempDir } from '../../test-helpers/git-testbed.js';
import { runCommand, writeSettings } from '../../test-helpers/run-command.js';
import GitSync from './sync.js';

describe('photon git sync', () => {
  it('clones, pulls, publishes local edits and runs the hook only when HEAD moved', async () => {
    const dir = tempDir('sync');
    const ffapi = new BareRepo(tempDir('sync-ffapi'), { 'ffmz.json': '{"nodes": 1}\n' });
    const peers = new BareRepo(tempDir('sync-peers'), { 'peer-a': 'key "aa";\n' });
    const root = path.join(dir, 'root');
    mkdirSync(root);
    const hookLog = path.join(dir, 'hook.log');
    const config = writeSettings(dir, {
      photon: { hostname: 'srv01', dataDir: '/var/lib/photon' },
      git: {
        identity: { name: 'srv01', email: 'srv01@ffmz.org' },
        repositories: [
          {
            name: 'ffapi',
            remote: ffapi.bare,
            dir: '/srv/ffapi',
            commit: true,
            message: '{host} auto commit',
          },
          {
            name: 'peers',
            remote: peers.bare,
            dir: '/etc/fastd/mz/peers',
            onChange: ['sh', '-c', `echo "reload $(git rev-parse HEAD)" >> ${hookLog}`],
          },
        ],
      },
    });
    const run = (...args: string[]) =>
      runCommand<SyncResult>(GitSync, [
        ...args,
        '--root',
        root,
        '--config',
        config,
        '--json',
        '--log-level',
        'error',
      ]);

    const first = await run();
    expect(first.exitCode).toBe(0);
    expect(first.output.result?.repositories.map((r) => [r.name, r.action, r.hook])).toEqual([
      ['ffapi', 'cloned', undefined],
      ['peers', 'cloned', 'ran'],
    ]);
    expect(readFileSync(hookLog, 'utf8')).toBe(`reload ${peers.head()}\n`);

    const idle = await run();
    expect(idle.output.result?.repositories.map((r) => r.action)).toEqual(['unchanged', 'unchanged']);
    expect(readFileSync(hookLog, 'utf8').split('\n').filter(Boolean)).toHaveLength(1);

    const newHead = peers.commit({ 'peer-b': 'key "bb";\n' }, 'add peer-b');
    writeFileSync(path.join(root, 'srv/ffapi/ffmz.json'), '{"nodes": 2}\n');
    const moved = await run();
    expect(moved.output.result?.repositories).toMatchObject([
      { name: 'ffapi', action: 'unchanged', published: true },
      { name: 'peers', action: 'pulled', after: newHead, hook: 'ran' },
    ]);
    expect(existsSync(path.join(root, 'etc/fastd/mz/peers/peer-b'))).toBe(true);
    expect(readFileSync(hookLog, 'utf8').trim().split('\n').at(-1)).toBe(`reload ${newHead}`);
    expect(ffapi.show('ffmz.json')).toBe('{"nodes": 2}\n');
    expect(ffapi.log()[0]).toBe('srv01 auto commit');

    // --dry-run: nothing pulled, no hook.
    peers.commit({ 'peer-c': 'key "cc";\n' }, 'add peer-c');
    const dry = await run('--dry-run', '--repo', 'peers');
    expect(dry.output.result?.repositories).toMatchObject([{ name: 'peers', action: 'unchanged' }]);
    expect(existsSync(path.join(root, 'etc/fastd/mz/peers/peer-c'))).toBe(false);
  });

  it('a dirty tree with conflicting changes exits 4 and keeps them; an unreachable remote among others exits 5', async () => {
    const dir = tempDir('sync-faults');
    const peers = new BareRepo(tempDir('sync-faults-peers'), { 'peer-a': 'key "aa";\n' });
    const root = path.join(dir, 'root');
    mkdirSync(root);
    const config = writeSettings(dir, {
      photon: { hostname: 'gw01', dataDir: '/var/lib/photon' },
      git: {
        ssh: { connectTimeoutSeconds: 5 },
        repositories: [
          { name: 'peers', remote: peers.bare, dir: '/etc/fastd/peers' },
          { name: 'gone', remote: 'ssh://git@127.0.0.1:1/peers.git', dir: '/etc/fastd/gone' },
        ],
      },
    });
    const run = (...args: string[]) =>
      runCommand<SyncResult>(GitSync, [
        ...args,
        '--root',
        root,
        '--config',
        config,
        '--json',
        '--log-level',
        'error',
      ]);

    const partial = await run();
    expect(partial.exitCode).toBe(5);
    expect(partial.output.result?.repositories).toMatchObject([
      { name: 'peers', action: 'cloned' },
      {
        name: 'gone',
        action: 'failed',
        error: { code: 'GIT_REMOTE', message: expect.stringMatching(/unreachable/) },
      },
    ]);
    expect(existsSync(path.join(root, 'etc/fastd/gone'))).toBe(false);
    expect((await run('--repo', 'gone')).exitCode).toBe(69);
    expect((await run('--repo', 'nothing')).exitCode).toBe(2);

    const clone = path.join(root, 'etc/fastd/peers');
    const head = git(clone, 'rev-parse', 'HEAD');
    peers.commit({ 'peer-a': 'key "a2";\n' }, 'rotate peer-a');
    writeFileSync(path.join(clone, 'peer-a'), 'key "local";\n');
    const conflict = await run('--repo', 'peers');
    expect(conflict.exitCode).toBe(4);
    expect(conflict.output.error?.code).toBe('GIT_CONFLICT');
    expect(git(clone, 'rev-parse', 'HEAD')).toBe(head);
    expect(readFileSync(path.join(clone, 'peer-a'), 'utf8')).toBe('key "local";\n');
  });
});
