import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode, UnavailableError } from '../errors/errors.js';
import { GitConflictError, GitRemoteError } from './git-errors.js';
import { bareRepo, git, gitService, tempDir } from './test-helpers/git-fixture.js';

const publish = { publish: { retries: 30, backoffMs: 50 } };

describe('GitRepository against bare repositories on disk', () => {
  it('clones once, commits with the configured identity and publishes', async () => {
    const dir = tempDir('git-basic');
    const bare = bareRepo(dir);
    const service = gitService({ identity: { name: 'Gateway One', email: 'gw1@example.org' } });
    const first = await service.ensureClone(bare, path.join(dir, 'clone'));
    expect(first.cloned).toBe(true);
    const again = await service.ensureClone(bare, path.join(dir, 'clone'));
    expect(again.cloned).toBe(false);
    const repo = first.repo!;
    expect(await repo.commitAll('nothing')).toBeUndefined();
    writeFileSync(path.join(dir, 'clone', 'a.txt'), 'a\n');
    expect((await repo.status()).untracked).toEqual(['a.txt']);
    const head = await repo.commitAll('gw01: add a');
    expect(head).toMatch(/^[0-9a-f]{40}$/);
    expect((await repo.publish()).pushed).toBe(true);
    expect(git(bare, 'log', '-1', '--format=%an <%ae> %s', 'main').trim()).toBe(
      'Gateway One <gw1@example.org> gw01: add a',
    );
  });

  it('loses no commit when seven clones publish at the same moment', async () => {
    const dir = tempDir('git-race');
    const bare = bareRepo(dir);
    const service = gitService(publish);
    const repos = await Promise.all(
      Array.from(
        { length: 7 },
        async (_, i) => (await service.ensureClone(bare, path.join(dir, `gw${i}`))).repo!,
      ),
    );
    const results = await Promise.all(
      repos.map(async (repo, i) => {
        writeFileSync(path.join(repo.dir, `gw${i}.txt`), `${i}\n`);
        await repo.commitAll(`gw${i}`);
        return repo.publish();
      }),
    );
    expect(results.every((r) => r.pushed)).toBe(true);
    expect(results.some((r) => r.rebased > 0)).toBe(true);
    const subjects = git(bare, 'log', '--format=%s', 'main').trim().split('\n');
    expect(subjects.sort()).toEqual(['gw0', 'gw1', 'gw2', 'gw3', 'gw4', 'gw5', 'gw6', 'seed']);
  }, 120_000);

  it('aborts a conflicting rebase, leaves the clone as it was and raises GitConflictError', async () => {
    const dir = tempDir('git-conflict');
    const bare = bareRepo(dir, { 'shared.txt': 'base\n' });
    const service = gitService(publish);
    const a = (await service.ensureClone(bare, path.join(dir, 'a'))).repo!;
    const b = (await service.ensureClone(bare, path.join(dir, 'b'))).repo!;
    writeFileSync(path.join(a.dir, 'shared.txt'), 'from a\n');
    await a.commitAll('a');
    await a.publish();
    writeFileSync(path.join(b.dir, 'shared.txt'), 'from b\n');
    const bHead = await b.commitAll('b');
    const error = await b.publish().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitConflictError);
    expect((error as GitConflictError).exitCode).toBe(ExitCode.Conflict);
    expect(await b.head()).toBe(bHead);
    expect((await b.status()).clean).toBe(true);
    expect(git(b.dir, 'status', '--porcelain=v2', '--branch')).not.toMatch(/rebase/);
    expect(git(bare, 'show', 'main:shared.txt')).toBe('from a\n');
  });

  it('refuses a fast-forward pull over conflicting local changes and keeps them', async () => {
    const dir = tempDir('git-dirty');
    const bare = bareRepo(dir, { 'shared.txt': 'base\n' });
    const service = gitService(publish);
    const a = (await service.ensureClone(bare, path.join(dir, 'a'))).repo!;
    const b = (await service.ensureClone(bare, path.join(dir, 'b'))).repo!;
    writeFileSync(path.join(a.dir, 'shared.txt'), 'upstream\n');
    await a.commitAll('a');
    await a.publish();
    writeFileSync(path.join(b.dir, 'shared.txt'), 'local edit\n');
    const before = await b.head();
    await expect(b.pull()).rejects.toBeInstanceOf(GitConflictError);
    await expect(b.pull({ rebase: true })).rejects.toBeInstanceOf(GitConflictError);
    expect(await b.head()).toBe(before);
    expect(git(b.dir, 'diff', '--name-only').trim()).toBe('shared.txt');
  });

  it('pulls fast-forward and reports whether HEAD moved', async () => {
    const dir = tempDir('git-pull');
    const bare = bareRepo(dir);
    const service = gitService();
    const a = (await service.ensureClone(bare, path.join(dir, 'a'))).repo!;
    const b = (await service.ensureClone(bare, path.join(dir, 'b'))).repo!;
    expect((await b.pull()).moved).toBe(false);
    writeFileSync(path.join(a.dir, 'n.txt'), 'n\n');
    await a.commitAll('n');
    await a.publish();
    const pulled = await b.pull();
    expect(pulled.moved).toBe(true);
    expect(pulled.after).toBe(await a.head());
  });

  it('commits and pushes nothing in dry-run', async () => {
    const dir = tempDir('git-dry');
    const bare = bareRepo(dir);
    await gitService().ensureClone(bare, path.join(dir, 'a'));
    const repo = await gitService({}, { dryRun: true }).open(path.join(dir, 'a'));
    writeFileSync(path.join(repo.dir, 'x.txt'), 'x\n');
    expect(await repo.commitAll('x')).toBeUndefined();
    expect((await repo.publish()).skipped).toBe(true);
    expect((await repo.status()).untracked).toEqual(['x.txt']);
    expect(git(bare, 'log', '--format=%s', 'main').trim()).toBe('seed');
    expect(
      (await gitService({}, { dryRun: true }).ensureClone(bare, path.join(dir, 'new'))).repo,
    ).toBeUndefined();
  });

  it('keeps a mirror equal to its remote: a rewritten history is followed, a plain clone refuses it', async () => {
    const dir = tempDir('git-mirror');
    const bare = bareRepo(dir);
    const service = gitService();
    const mirror = path.join(dir, 'mirror');
    expect((await service.update(bare, mirror, { mirror: true })).action).toBe('cloned');
    const plain = path.join(dir, 'plain');
    await service.update(bare, plain);
    expect((await service.update(bare, mirror, { mirror: true })).action).toBe('unchanged');
    // The remote's history is rewritten (force-push of a new root commit).
    const other = path.join(dir, 'rewrite');
    git(dir, 'init', '--quiet', '--initial-branch=main', other);
    writeFileSync(path.join(other, 'keys'), 'new\n');
    git(other, 'add', '-A');
    git(other, 'commit', '--quiet', '-m', 'rewrite');
    git(other, 'push', '--quiet', '--force', bare, 'HEAD:main');
    const reset = await service.update(bare, mirror, { mirror: true });
    expect(reset.action).toBe('reset');
    expect(reset.head).toBe(git(bare, 'rev-parse', 'main').trim());
    expect(readdirSync(mirror).sort()).toEqual(['.git', 'keys']);
    expect((await reset.repo.status()).clean).toBe(true);
    await expect(service.update(bare, plain)).rejects.toBeInstanceOf(GitConflictError);
    await expect(gitService({}, { dryRun: true }).update(bare, path.join(dir, 'new'))).rejects.toBeInstanceOf(
      UnavailableError,
    );
  });

  it('names an unreachable remote clearly (exit 69) and leaves no directory behind', async () => {
    const dir = tempDir('git-unreachable');
    const service = gitService({ ssh: { connectTimeoutSeconds: 5 } });
    const error = await service
      .ensureClone('ssh://git@127.0.0.1:1/nothing.git', path.join(dir, 'clone'))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitRemoteError);
    expect((error as GitRemoteError).reason).toBe('unreachable');
    expect((error as GitRemoteError).exitCode).toBe(ExitCode.Unavailable);
    const missing = await service
      .ensureClone(path.join(dir, 'no-such.git'), path.join(dir, 'clone2'))
      .catch((e: unknown) => e);
    expect((missing as GitRemoteError).reason).toBe('not-found');
  });
});
