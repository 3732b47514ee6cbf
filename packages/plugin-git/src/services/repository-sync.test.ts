import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { FileStore, GitService, gitSettings, partial, RootSandbox, Shell } from '@ffphoton/core';
import { completeResult, partialOutcome } from '@ffphoton/core/testing';
import { describe, expect, it } from 'vitest';
import { BareRepo, git, tempDir } from '../test-helpers/git-testbed.js';
import { RepositorySync, repositoryName } from './repository-sync.js';

/** A sandboxed gateway with two remotes; the sync runs the services as `photon git sync` does. */
function gateway(dryRun = false) {
  const dir = tempDir('git-sync-unit');
  const root = path.join(dir, 'root');
  mkdirSync(root);
  const peers = new BareRepo(tempDir('git-sync-peers'), { 'peer-a': 'key "a";\n' });
  const api = new BareRepo(tempDir('git-sync-api'), { 'api.json': '{}\n' });
  const settings = gitSettings.schema.parse({
    repositories: [
      {
        remote: peers.bare,
        dir: '/etc/fastd/peers/',
        onChange: ['sh', '-c', 'pwd >> ../hook.log; git rev-parse HEAD >> ../hook.log'],
      },
      { name: 'ffapi', remote: api.bare, dir: '/srv/api', commit: true, message: '{host} edit' },
    ],
  });
  const outcome = (repositories = settings.repositories, dry = dryRun) => {
    const files = new FileStore(new RootSandbox(root), { dryRun: dry });
    const shell = new Shell({ dryRun: dry, defaultTimeoutMs: 30_000 });
    return new RepositorySync(shell, new GitService(settings, files, 'gw1'), 'gw1').run(repositories);
  };
  /** A sync where every repository worked. */
  const sync = async (repositories = settings.repositories, dry = dryRun) =>
    completeResult(await outcome(repositories, dry));
  const hookLog = () => {
    const file = path.join(root, 'etc/fastd/hook.log');
    return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n') : [];
  };
  return { root, peers, api, settings, outcome, sync, hookLog };
}

describe('RepositorySync', () => {
  it('clones, then pulls with the hook only when HEAD moved, and publishes local edits', async () => {
    const gw = gateway();
    const peersDir = path.join(gw.root, 'etc/fastd/peers');
    expect(await gw.sync()).toEqual({
      repositories: [
        {
          name: 'peers',
          dir: '/etc/fastd/peers/',
          action: 'cloned',
          after: gw.peers.head(),
          published: false,
          hook: 'ran',
        },
        { name: 'ffapi', dir: '/srv/api', action: 'cloned', after: gw.api.head(), published: false },
      ],
    });
    expect(gw.hookLog()).toEqual([peersDir, gw.peers.head()]);

    const before = gw.peers.head();
    const moved = gw.peers.commit({ 'peer-b': 'key "b";\n' }, 'add b');
    writeFileSync(path.join(gw.root, 'srv/api/api.json'), '{"nodes": 1}\n');
    const second = await gw.sync();
    const apiHead = gw.api.head();
    expect(second).toEqual({
      repositories: [
        {
          name: 'peers',
          dir: '/etc/fastd/peers/',
          action: 'pulled',
          before,
          after: moved,
          published: false,
          hook: 'ran',
        },
        {
          name: 'ffapi',
          dir: '/srv/api',
          action: 'unchanged',
          before: apiHead,
          after: apiHead,
          committed: apiHead,
          published: true,
        },
      ],
    });
    expect(gw.api.log()).toEqual(['gw1 edit', 'seed']);
    expect(gw.api.show('api.json')).toBe('{"nodes": 1}\n');
    expect(gw.hookLog()).toEqual([peersDir, before, peersDir, moved]);

    const idle = await gw.sync();
    expect(idle.repositories.map((r) => [r.action, r.hook, r.published, r.committed])).toEqual([
      ['unchanged', undefined, false, undefined],
      ['unchanged', undefined, false, undefined],
    ]);
    expect(gw.hookLog()).toHaveLength(4);
  });

  it('publishes a commit an earlier run could not push, and rebases over the remote', async () => {
    const gw = gateway();
    await gw.sync();
    const clone = path.join(gw.root, 'srv/api');
    writeFileSync(path.join(clone, 'local.txt'), 'x\n');
    git(clone, 'add', '-A');
    git(clone, 'commit', '--quiet', '-m', 'left behind');
    gw.api.commit({ 'other.json': '{}\n' }, 'other gateway');
    const [, api] = (await gw.sync()).repositories;
    expect(api).toMatchObject({ action: 'pulled', published: true, committed: undefined });
    expect(gw.api.log()).toEqual(['left behind', 'other gateway', 'seed']);
  });

  it('does not publish local commits of a repository without commit: true', async () => {
    const gw = gateway();
    await gw.sync();
    const clone = path.join(gw.root, 'etc/fastd/peers');
    writeFileSync(path.join(clone, 'peer-local'), 'x\n');
    git(clone, 'add', '-A');
    git(clone, 'commit', '--quiet', '-m', 'local only');
    const [peers] = (await gw.sync()).repositories;
    expect(peers).toMatchObject({ action: 'unchanged', published: false });
    expect(gw.peers.log()).toEqual(['seed']);
  });

  it('plans clones in dry-run without touching the disk', async () => {
    const gw = gateway(true);
    expect(await gw.sync()).toEqual({
      repositories: [
        { name: 'peers', dir: '/etc/fastd/peers/', action: 'would-clone', published: false },
        { name: 'ffapi', dir: '/srv/api', action: 'would-clone', published: false },
      ],
    });
    expect(readdirSync(gw.root)).toEqual([]);
  });

  it('reports each failed repository, fails partially when others worked and wholly when none did', async () => {
    const gw = gateway();
    const gone = {
      ...gw.settings.repositories[1],
      name: 'gone',
      remote: path.join(gw.root, 'nowhere.git'),
      dir: '/srv/gone',
    };
    const partly = partialOutcome(await gw.outcome([gw.settings.repositories[0], gone]));
    const error = partly.result.repositories[1].error?.message;
    expect(partly).toEqual(
      partial(
        {
          repositories: [
            expect.objectContaining({ name: 'peers', action: 'cloned', published: false }),
            {
              name: 'gone',
              dir: '/srv/gone',
              action: 'failed',
              published: false,
              error: { code: expect.stringMatching(/^GIT/), message: expect.any(String) },
            },
          ],
        },
        [`gone: ${error}`],
        'git sync: 1 of 2 repositories failed',
      ),
    );
    const whole = await gw.outcome([gone]).catch((e: unknown) => e);
    expect(whole).toBeInstanceOf(Error);
    expect((whole as Error).message).toBe(error);
  });
});

describe('repositoryName', () => {
  it('is the configured name, else the directory base name', () => {
    const spec = gitSettings.schema.parse({ repositories: [{ dir: '/srv/peers//' }] }).repositories[0];
    expect(repositoryName(spec)).toBe('peers');
    expect(repositoryName({ ...spec, dir: '/srv/peers' })).toBe('peers');
    expect(repositoryName({ ...spec, name: 'mine' })).toBe('mine');
  });
});
