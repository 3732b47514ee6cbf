import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GitCommandError, GitConflictError } from './git-errors.js';
import { bareRepo, git, gitService, tempDir } from './test-helpers/git-fixture.js';

/** A remote with tags v1.2 and v1.10 on main and a branch `next`; a clone of it. */
async function setup(dryRun = false) {
  const dir = tempDir('git-checkout');
  const bare = bareRepo(dir, { 'version.txt': '1.2\n' });
  const seed = path.join(dir, 'seed');
  git(seed, 'tag', 'v1.2');
  writeFileSync(path.join(seed, 'version.txt'), '1.10\n');
  git(seed, 'commit', '--quiet', '-am', 'release 1.10');
  git(seed, 'tag', 'v1.10');
  git(seed, 'checkout', '--quiet', '-b', 'next');
  writeFileSync(path.join(seed, 'version.txt'), 'next\n');
  git(seed, 'commit', '--quiet', '-am', 'on next');
  git(seed, 'push', '--quiet', '--tags', 'origin', 'main', 'next');
  const clone = path.join(dir, 'clone');
  await gitService().ensureClone(bare, clone);
  const repo = (await gitService({}, { dryRun }).open(clone))!;
  const version = () => readFileSync(path.join(clone, 'version.txt'), 'utf8').trim();
  return { clone, repo, version, seed };
}

describe('GitRepository checkout, tags and log against real git', () => {
  it('checks out a tag, a commit and a remote branch', async () => {
    const { repo, version, clone, seed } = await setup();
    expect(await repo.tags()).toEqual(['v1.2', 'v1.10']);
    await repo.checkout({ tag: 'v1.2' });
    expect(version()).toBe('1.2');
    expect(await repo.branch()).toBeUndefined();
    const release = git(seed, 'rev-parse', 'v1.10').trim();
    expect(await repo.checkout({ commit: release })).toBe(release);
    expect(version()).toBe('1.10');
    await repo.checkout({ branch: 'next' });
    expect(await repo.branch()).toBe('next');
    expect(version()).toBe('next');
    expect(git(clone, 'rev-parse', '--abbrev-ref', 'next@{upstream}').trim()).toBe('origin/next');
  });

  it('lists the log newest first', async () => {
    const { repo } = await setup();
    const log = await repo.log(5);
    expect(log.map((entry) => entry.subject)).toEqual(['release 1.10', 'seed']);
    expect(log[0]).toMatchObject({ author: 't', commit: expect.stringMatching(/^[0-9a-f]{40}$/) });
    expect(Number.isNaN(Date.parse(log[0].date))).toBe(false);
    expect(await repo.log(1, 'origin/next')).toMatchObject([{ subject: 'on next' }]);
  });

  it('refuses unknown refs and local changes, leaving the tree as it was', async () => {
    const { repo, clone, version } = await setup();
    await expect(repo.checkout({ tag: 'v9' })).rejects.toThrow(GitCommandError);
    await expect(repo.checkout({ branch: '--force' })).rejects.toThrow(GitCommandError);
    writeFileSync(path.join(clone, 'version.txt'), 'local edit\n');
    await expect(repo.checkout({ tag: 'v1.2' })).rejects.toThrow(GitConflictError);
    expect(version()).toBe('local edit');
  });

  it('changes nothing in --dry-run', async () => {
    const { repo, version } = await setup(true);
    await repo.checkout({ tag: 'v1.2' });
    expect(version()).toBe('1.10');
  });
});
