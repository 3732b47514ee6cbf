import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, ExitCode } from '../errors/errors.js';
import { FileStore } from '../fs/file-store.js';
import { RootSandbox } from '../fs/root-sandbox.js';
import { RunChanges } from '../journal/change-recorder.js';
import { createTaskLogger } from '../log/logger.js';
import { GitCommandError, GitConflictError, GitLocalChangesError, GitRemoteError } from './git-errors.js';
import { GitService } from './git-service.js';
import { gitSettings } from './git-settings.js';
import { bareRepo, git, tempDir } from './test-helpers/git-fixture.js';

/** A GitService whose log lines and recorded commands the test reads. */
async function observedService(settings: Record<string, unknown> = {}, dryRun = false) {
  const lines: Record<string, unknown>[] = [];
  const { logger } = await createTaskLogger({
    level: 'debug',
    format: 'json',
    stream: { write: (text: string) => lines.push(JSON.parse(text)) },
  });
  const changes = new RunChanges();
  const files = new FileStore(new RootSandbox(), { dryRun });
  const service = new GitService(gitSettings.schema.parse(settings), files, 'gw01', logger, changes);
  return { service, messages: () => lines.map((l) => l.msg), changes };
}

const head = (dir: string, ref = 'HEAD') => git(dir, 'rev-parse', ref).trim();

/** Commits `files` in `clone` with git itself and pushes them to origin's main. */
function pushFrom(clone: string, files: Record<string, string>, message: string) {
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(clone, name), content);
  git(clone, 'add', '-A');
  git(clone, 'commit', '--quiet', '-m', message);
  git(clone, 'push', '--quiet', 'origin', 'HEAD:main');
}

describe('GitRepository edge cases against real repositories', () => {
  it('head and branch: undefined outside a repository, before the first commit and on a detached HEAD', async () => {
    const dir = tempDir('git-edges-head');
    const { service } = await observedService();
    mkdirSync(path.join(dir, 'plain'));
    const plain = await service.open(path.join(dir, 'plain'));
    expect([await plain.head(), await plain.branch()]).toEqual([undefined, undefined]);
    git(dir, 'init', '--quiet', '--initial-branch=main', path.join(dir, 'empty'));
    const empty = await service.open(path.join(dir, 'empty'));
    expect([await empty.head(), await empty.branch(), await empty.log()]).toEqual([undefined, 'main', []]);
    const bare = bareRepo(dir);
    const clone = (await service.ensureClone(bare, path.join(dir, 'clone'))).repo!;
    const seed = head(clone.dir);
    expect([await clone.head(), await clone.branch()]).toEqual([seed, 'main']);
    git(clone.dir, 'checkout', '--quiet', '--detach');
    expect([await clone.head(), await clone.branch()]).toEqual([seed, undefined]);
    // Detached: nothing to pull into and nothing to publish.
    expect(await clone.pull()).toEqual({ before: seed, after: seed, moved: false, skipped: false });
    await expect(clone.publish()).rejects.toThrow(
      new GitCommandError(`${clone.dir}: not on a branch; nothing to publish`),
    );
  });

  it('dry-run pull, mirror and reset fetch and change nothing, and say what they would do', async () => {
    const dir = tempDir('git-edges-dry');
    const bare = bareRepo(dir);
    const work = path.join(dir, 'seed');
    const { service: real } = await observedService();
    await real.ensureClone(bare, path.join(dir, 'clone'));
    pushFrom(work, { 'new.txt': 'new\n' }, 'new');
    const { service, messages } = await observedService({}, true);
    const clone = await service.open(path.join(dir, 'clone'));
    const before = head(clone.dir);
    expect(await clone.pull()).toEqual({ before, after: before, moved: false, skipped: true });
    expect(await clone.mirror()).toEqual({ before, after: before, action: 'unchanged' });
    writeFileSync(path.join(clone.dir, 'README.md'), 'edited\n');
    await clone.resetTo('HEAD');
    expect(head(clone.dir, 'origin/main')).toBe(before);
    expect(readFileSync(path.join(clone.dir, 'README.md'), 'utf8')).toBe('edited\n');
    expect(messages()).toEqual([
      `dry-run: would pull ${clone.dir}`,
      `dry-run: would update the mirror ${clone.dir}`,
      `dry-run: would reset ${clone.dir} to HEAD`,
    ]);
  });

  it('resetTo makes the tree exactly the commit: edits and untracked files go, ignored ones stay', async () => {
    const dir = tempDir('git-edges-reset');
    const bare = bareRepo(dir, { 'README.md': 'seed\n', '.gitignore': '*.log\n' });
    const { service } = await observedService();
    const clone = (await service.ensureClone(bare, path.join(dir, 'clone'))).repo!;
    writeFileSync(path.join(clone.dir, 'README.md'), 'edited\n');
    mkdirSync(path.join(clone.dir, 'sub'));
    writeFileSync(path.join(clone.dir, 'sub', 'untracked'), 'x\n');
    writeFileSync(path.join(clone.dir, 'keep.log'), 'ignored\n');
    await clone.resetTo('HEAD');
    expect(git(clone.dir, 'status', '--porcelain', '--ignored').trim()).toBe('!! keep.log');
    expect(readFileSync(path.join(clone.dir, 'README.md'), 'utf8')).toBe('seed\n');
  });

  it('a diverged clone is a conflict for a fast-forward pull, and a rebase pull replays the local commit', async () => {
    const dir = tempDir('git-edges-diverged');
    const bare = bareRepo(dir);
    const { service } = await observedService();
    const clone = (await service.ensureClone(bare, path.join(dir, 'clone'))).repo!;
    pushFrom(path.join(dir, 'seed'), { 'remote.txt': 'r\n' }, 'remote');
    writeFileSync(path.join(clone.dir, 'local.txt'), 'l\n');
    const local = await clone.commitAll('local');
    const error = await clone.pull().catch((e: unknown) => e);
    expect(error).toEqual(
      new GitConflictError(
        `${clone.dir}: the clone has diverged from origin/main; a fast-forward is not possible`,
        clone.dir,
      ),
    );
    expect(await clone.head()).toBe(local);
    const rebased = await clone.pull({ rebase: true });
    expect(rebased).toMatchObject({ before: local, moved: true, skipped: false });
    expect(git(clone.dir, 'log', '--format=%s').trim().split('\n')).toEqual(['local', 'remote', 'seed']);
  });

  it('an empty remote has nothing to pull or mirror; a missing remote is a clear remote error', async () => {
    const dir = tempDir('git-edges-empty');
    const bare = path.join(dir, 'empty.git');
    git(dir, 'init', '--quiet', '--bare', '--initial-branch=main', bare);
    const { service } = await observedService();
    const clone = (await service.ensureClone(bare, path.join(dir, 'clone'))).repo!;
    expect(await clone.pull()).toEqual({ before: undefined, after: undefined, moved: false, skipped: false });
    expect(await clone.mirror()).toEqual({ before: undefined, after: undefined, action: 'unchanged' });
    rmSync(bare, { recursive: true });
    const error = await clone.pull().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitRemoteError);
    expect(error).toMatchObject({ reason: 'not-found', exitCode: ExitCode.Unavailable });
    expect((error as Error).message).toMatch(/^git fetch \(/);
  });

  it('commitAll: conflicts refused by name, a dry run commits nothing, paths limit what is staged', async () => {
    const dir = tempDir('git-edges-commit');
    const bare = bareRepo(dir, { 'shared.txt': 'base\n' });
    const { service, changes } = await observedService({ identity: { name: 'GW', email: 'gw@example.org' } });
    const clone = (await service.ensureClone(bare, path.join(dir, 'clone'))).repo!;
    mkdirSync(path.join(clone.dir, 'only'));
    writeFileSync(path.join(clone.dir, 'other.txt'), 'o\n');
    expect(await clone.commitAll('nothing under only/', ['only'])).toBeUndefined();
    writeFileSync(path.join(clone.dir, 'only', 'a.txt'), 'a\n');
    const committed = await clone.commitAll('only a', ['only']);
    expect(
      git(clone.dir, 'show', '--name-only', '--format=%an <%ae> %s', committed!).trim().split('\n'),
    ).toEqual(['GW <gw@example.org> only a', '', 'only/a.txt']);
    expect(
      changes.commands.some((c) => c.argv.join(' ') === 'git add --all -- only' && c.exitCode === 0),
    ).toBe(true);

    const { service: dry, messages } = await observedService({}, true);
    const dryClone = await dry.open(path.join(dir, 'clone'));
    expect(await dryClone.commitAll('would')).toBeUndefined();
    expect(messages()).toEqual(['dry-run: would commit "would"']);
    expect(head(clone.dir)).toBe(committed);

    pushFrom(path.join(dir, 'seed'), { 'shared.txt': 'theirs\n' }, 'theirs');
    writeFileSync(path.join(clone.dir, 'shared.txt'), 'ours\n');
    git(clone.dir, 'commit', '--quiet', '-am', 'ours');
    git(clone.dir, 'fetch', '--quiet');
    try {
      git(clone.dir, 'merge', 'origin/main');
    } catch {
      // the conflict is the point
    }
    const error = await clone.commitAll('after conflict').catch((e: unknown) => e);
    expect(error).toEqual(
      new GitConflictError(`${clone.dir}: unresolved conflicts in shared.txt`, clone.dir, ['shared.txt']),
    );
    expect((error as GitConflictError).exitCode).toBe(ExitCode.Conflict);
  });

  it('a push rejected more often than the retries allow is an error naming the attempts', async () => {
    const dir = tempDir('git-edges-retries');
    const bare = bareRepo(dir);
    const { service, messages } = await observedService({ publish: { retries: 0, backoffMs: 1 } });
    const clone = (await service.ensureClone(bare, path.join(dir, 'clone'))).repo!;
    pushFrom(path.join(dir, 'seed'), { 'remote.txt': 'r\n' }, 'remote');
    writeFileSync(path.join(clone.dir, 'local.txt'), 'l\n');
    await clone.commitAll('local');
    const error = await clone.publish().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitCommandError);
    expect((error as Error).message).toMatch(
      new RegExp(`^${clone.dir}: push still rejected after 1 attempts \\(.+\\)$`),
    );
    expect(messages()).toEqual([`cloned ${bare}`]);
  });

  it('blobNames lists every blob the repository holds, old versions included', async () => {
    const dir = tempDir('git-edges-blobs');
    const bare = bareRepo(dir, { 'a.txt': 'one\n' });
    const { service } = await observedService();
    const clone = (await service.ensureClone(bare, path.join(dir, 'clone'))).repo!;
    writeFileSync(path.join(clone.dir, 'a.txt'), 'two\n');
    await clone.commitAll('two');
    const blob = (text: string) => {
      writeFileSync(path.join(dir, 'probe'), text);
      return git(dir, 'hash-object', 'probe').trim();
    };
    expect(await clone.blobNames()).toEqual(new Set([blob('one\n'), blob('two\n')]));
  });

  it('mirror names at most five foreign files, then an ellipsis', async () => {
    const dir = tempDir('git-edges-mirror');
    const bare = bareRepo(dir);
    const { service } = await observedService();
    const mirror = path.join(dir, 'mirror');
    await service.update(bare, mirror, { mirror: true });
    for (const name of ['f1', 'f2', 'f3', 'f4', 'f5', 'f6'])
      writeFileSync(path.join(mirror, name), `${name}\n`);
    const error = await service.update(bare, mirror, { mirror: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitLocalChangesError);
    expect((error as Error).message).toBe(
      `${mirror}: 6 file(s) not from the remote: f1, f2, f3, f4, f5, …; they are kept and nothing was synced (move them away, or commit them to the remote)`,
    );
    rmSync(path.join(mirror, 'f6'));
    expect(
      (await service.update(bare, mirror, { mirror: true }).catch((e: Error) => e.message)) as string,
    ).toMatch(/: 5 file\(s\) not from the remote: f1, f2, f3, f4, f5; they are kept/);
  });

  it('GitService: a clone of a named branch, no remote means no update, a foreign directory is refused', async () => {
    const dir = tempDir('git-edges-service');
    const bare = bareRepo(dir);
    git(path.join(dir, 'seed'), 'push', '--quiet', 'origin', 'HEAD:next');
    pushFrom(path.join(dir, 'seed'), { 'main-only.txt': 'm\n' }, 'main only');
    const { service, messages } = await observedService();
    const next = await service.update(bare, path.join(dir, 'next'), { branch: 'next' });
    expect(next.action).toBe('cloned');
    expect(await next.repo.branch()).toBe('next');
    expect(await service.update(undefined, path.join(dir, 'next'))).toMatchObject({
      action: 'unchanged',
      head: await next.repo.head(),
    });
    expect(messages()).toEqual([`cloned ${bare}`]);
    await expect(service.ensureClone(undefined, path.join(dir, 'nothing'))).rejects.toThrow(
      new ConfigError(
        `${path.join(dir, 'nothing')} is not a git clone and no remote is configured to clone it from`,
      ),
    );
    mkdirSync(path.join(dir, 'foreign'));
    writeFileSync(path.join(dir, 'foreign', 'x'), 'x');
    await expect(service.ensureClone(bare, path.join(dir, 'foreign'))).rejects.toThrow(
      new ConfigError(`${path.join(dir, 'foreign')} exists, is not empty and is not a git clone`),
    );
    const { service: dry, messages: dryMessages } = await observedService({}, true);
    expect(await dry.ensureClone(bare, path.join(dir, 'later'))).toEqual({ cloned: false });
    expect(dryMessages()).toEqual([`dry-run: would clone ${bare} into ${path.join(dir, 'later')}`]);
  });

  it('a detached mirror follows the remote HEAD; a push to a vanished remote is a remote error', async () => {
    const dir = tempDir('git-edges-detached');
    const bare = bareRepo(dir);
    const { service } = await observedService();
    const mirror = path.join(dir, 'mirror');
    await service.update(bare, mirror, { mirror: true });
    git(mirror, 'checkout', '--quiet', '--detach');
    pushFrom(path.join(dir, 'seed'), { 'new.txt': 'n\n' }, 'new');
    const updated = await service.update(bare, mirror, { mirror: true });
    expect(updated).toMatchObject({ action: 'pulled', head: head(bare, 'main') });
    expect(readFileSync(path.join(mirror, 'new.txt'), 'utf8')).toBe('n\n');

    const clone = (await service.ensureClone(bare, path.join(dir, 'clone'))).repo!;
    writeFileSync(path.join(clone.dir, 'x'), 'x');
    await clone.commitAll('x');
    rmSync(bare, { recursive: true });
    const error = await clone.publish().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitRemoteError);
    expect(error).toMatchObject({ reason: 'not-found' });
    expect((error as Error).message).toMatch(/^git push \(/);
  });

  it('checkout refuses an empty ref and names the kind of a bad one', async () => {
    const dir = tempDir('git-edges-checkout');
    const bare = bareRepo(dir);
    const { service } = await observedService();
    const clone = (await service.ensureClone(bare, path.join(dir, 'clone'))).repo!;
    await expect(clone.checkout({ branch: '' })).rejects.toThrow(new GitCommandError('not a git branch: ""'));
    await expect(clone.checkout({ commit: '-x' })).rejects.toThrow(
      new GitCommandError('not a git commit: "-x"'),
    );
    await expect(clone.checkout({ commit: 'f'.repeat(40) })).rejects.toThrow(
      new RegExp(`^git checkout of commit ${'f'.repeat(40)} in ${clone.dir} failed: `),
    );
  });

  it('GitService.update pulls a plain clone, logs a mirror reset, and refuses a .git git does not accept', async () => {
    const dir = tempDir('git-edges-update');
    const bare = bareRepo(dir);
    const { service, messages } = await observedService();
    const plain = path.join(dir, 'plain');
    const mirror = path.join(dir, 'mirror');
    await service.update(bare, plain);
    await service.update(bare, mirror, { mirror: true });
    expect(await service.update(bare, plain)).toMatchObject({
      action: 'unchanged',
      head: head(bare, 'main'),
    });
    pushFrom(path.join(dir, 'seed'), { 'n.txt': 'n\n' }, 'n');
    expect(await service.update(bare, plain)).toMatchObject({ action: 'pulled', head: head(bare, 'main') });
    expect(await service.update(bare, mirror, { mirror: true })).toMatchObject({ action: 'pulled' });
    git(path.join(dir, 'seed'), 'commit', '--quiet', '--amend', '-m', 'rewritten');
    git(path.join(dir, 'seed'), 'push', '--quiet', '--force', 'origin', 'HEAD:main');
    const before = head(mirror);
    expect(await service.update(bare, mirror, { mirror: true })).toMatchObject({ action: 'reset' });
    expect(messages()).toEqual([`cloned ${bare}`, `cloned ${bare}`, `${mirror} reset to the remote`]);
    expect(before).not.toBe(head(mirror));

    mkdirSync(path.join(dir, 'broken'));
    writeFileSync(path.join(dir, 'broken', '.git'), 'not a gitdir line\n');
    const error = await service.ensureClone(bare, path.join(dir, 'broken')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitCommandError);
    expect((error as Error).message).toMatch(
      new RegExp(`^${path.join(dir, 'broken')} has a \\.git but git does not accept it: `),
    );
  });
});
