import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../errors/errors.js';
import { GitLocalChangesError, GitLockedError, gitMessage } from './git-errors.js';
import { gitProcessesIn } from './git-lock.js';
import { bareRepo, git, gitService, tempDir } from './test-helpers/git-fixture.js';

/** A bare remote with files a, b; a work clone to change it; a mirror clone of it. */
async function setup(name: string, settings: Record<string, unknown> = {}) {
  const dir = tempDir(name);
  const bare = bareRepo(dir, { a: 'a1\n', b: 'b1\n' });
  const work = path.join(dir, 'work');
  git(dir, 'clone', '--quiet', bare, work);
  const service = gitService(settings);
  const mirror = path.join(dir, 'mirror');
  await service.update(bare, mirror, { mirror: true });
  const push = (files: Record<string, string | null>, message = 'change') => {
    for (const [file, content] of Object.entries(files)) {
      if (content === null) rmSync(path.join(work, file));
      else writeFileSync(path.join(work, file), content);
    }
    git(work, 'add', '-A');
    git(work, 'commit', '--quiet', '-m', message);
    git(work, 'push', '--quiet', 'origin', 'HEAD:main');
  };
  const update = () => service.update(bare, mirror, { mirror: true });
  const tree = () =>
    readdirSync(mirror)
      .filter((f) => f !== '.git')
      .sort();
  return { dir, bare, work, mirror, push, update, tree };
}

describe('a mirror clone follows its remote exactly (real git, bare repositories)', () => {
  it('follows a remote rewound with reset --hard HEAD~1 && push -f: the removed file leaves', async () => {
    const t = await setup('mirror-rewind');
    t.push({ c: 'c1\n' });
    expect((await t.update()).action).toBe('pulled');
    expect(t.tree()).toEqual(['a', 'b', 'c']);
    git(t.work, 'reset', '--quiet', '--hard', 'HEAD~1');
    git(t.work, 'push', '--quiet', '--force', 'origin', 'HEAD:main');
    const rewound = await t.update();
    expect(rewound.action).toBe('reset');
    expect(rewound.head).toBe(git(t.bare, 'rev-parse', 'main').trim());
    expect(t.tree()).toEqual(['a', 'b']);
    expect((await t.update()).action).toBe('unchanged');
  });

  it('refuses an admin file in the clone by name, keeps it, and syncs once it is gone', async () => {
    const t = await setup('mirror-admin');
    writeFileSync(path.join(t.mirror, 'mine'), 'an admin key\n');
    writeFileSync(path.join(t.mirror, 'a'), 'edited by hand\n');
    t.push({ c: 'c1\n' });
    const error = await t.update().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitLocalChangesError);
    expect((error as GitLocalChangesError).files).toEqual(['a', 'mine']);
    expect((error as GitLocalChangesError).exitCode).toBe(ExitCode.Partial);
    expect((error as Error).message).toMatch(/2 file\(s\) not from the remote: a, mine; they are kept/);
    expect(readFileSync(path.join(t.mirror, 'mine'), 'utf8')).toBe('an admin key\n');
    expect(readFileSync(path.join(t.mirror, 'a'), 'utf8')).toBe('edited by hand\n');
    unlinkSync(path.join(t.mirror, 'mine'));
    git(t.mirror, 'checkout', '--', 'a');
    expect((await t.update()).action).toBe('pulled');
    expect(t.tree()).toEqual(['a', 'b', 'c']);
  });

  it('repairs what a killed checkout left: files of the new commit, a deleted file, no admin edit', async () => {
    const t = await setup('mirror-half');
    t.push({ a: 'a2\n', c: 'c1\n' });
    // As if `reset --hard` died after writing two files of the new commit and before the index.
    git(t.mirror, 'fetch', '--quiet');
    writeFileSync(path.join(t.mirror, 'a'), 'a2\n');
    writeFileSync(path.join(t.mirror, 'c'), 'c1\n');
    unlinkSync(path.join(t.mirror, 'b'));
    const repaired = await t.update();
    expect(repaired.action).toBe('reset');
    expect(t.tree()).toEqual(['a', 'b', 'c']);
    expect(readFileSync(path.join(t.mirror, 'b'), 'utf8')).toBe('b1\n');
    // Files git was writing when it was killed: empty, or cut short.
    t.push({ a: 'a3 long enough to be cut\n', d: 'd1\n' });
    git(t.mirror, 'fetch', '--quiet');
    writeFileSync(path.join(t.mirror, 'a'), 'a3 long');
    writeFileSync(path.join(t.mirror, 'd'), '');
    expect((await t.update()).action).toBe('reset');
    expect(readFileSync(path.join(t.mirror, 'a'), 'utf8')).toBe('a3 long enough to be cut\n');
    expect(t.tree()).toEqual(['a', 'b', 'c', 'd']);
    // Not the start of the remote's file: an admin's.
    writeFileSync(path.join(t.mirror, 'd'), 'd2\n');
    await expect(t.update()).rejects.toBeInstanceOf(GitLocalChangesError);
    git(t.mirror, 'checkout', '--', 'd');
    // A tree dirty on the same commit is repaired too (a deleted file comes back).
    unlinkSync(path.join(t.mirror, 'c'));
    expect((await t.update()).action).toBe('reset');
    expect(t.tree()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('removes a git lock a killed git left (old, no git process) and logs it; a young one is exit 69', async () => {
    const t = await setup('mirror-lock', { networkTimeoutSeconds: 30 });
    t.push({ c: 'c1\n' });
    const lock = path.join(t.mirror, '.git', 'index.lock');
    writeFileSync(lock, '');
    const young = await t.update().catch((e: unknown) => e);
    expect(young).toBeInstanceOf(GitLockedError);
    expect((young as GitLockedError).exitCode).toBe(ExitCode.Unavailable);
    expect((young as Error).message).toMatch(
      /^\S+mirror: git is locked by \S+mirror\/\.git\/index\.lock \(it is \d+ s old; it is removed once it is 30 s old and no git process works in the repository\); nothing was changed, try again later$/,
    );
    expect(existsSync(lock)).toBe(true);
    const old = new Date(Date.now() - 31_000);
    utimesSync(lock, old, old);
    // The killed git's temp object (old) goes too; a young one may be a live git's.
    const tempObject = path.join(t.mirror, '.git/objects/ab/tmp_obj_x1');
    const youngObject = path.join(t.mirror, '.git/objects/ab/tmp_obj_x2');
    mkdirSync(path.dirname(tempObject), { recursive: true });
    writeFileSync(tempObject, 'half');
    writeFileSync(youngObject, 'half');
    utimesSync(tempObject, old, old);
    const warnings: unknown[] = [];
    const logger = { warn: (...args: unknown[]) => warnings.push(args), info() {}, debug() {} };
    const logged = gitService({ networkTimeoutSeconds: 30 });
    // biome-ignore lint/suspicious/noExplicitAny: the test logger only needs what GitRepository calls.
    (logged as any).logger = logger;
    expect((await logged.update(t.bare, t.mirror, { mirror: true })).action).toBe('pulled');
    expect(existsSync(lock)).toBe(false);
    expect(existsSync(tempObject)).toBe(false);
    expect(existsSync(youngObject)).toBe(true);
    expect(t.tree()).toEqual(['a', 'b', 'c']);
    expect(warnings).toHaveLength(1);
    expect(JSON.stringify(warnings[0])).toContain('left by a killed git');
  });

  it('leaves an old lock alone while a git process works in the repository (exit 69 naming it)', async () => {
    const t = await setup('mirror-live-lock', { networkTimeoutSeconds: 1 });
    t.push({ c: 'c1\n' });
    const lock = path.join(t.mirror, '.git', 'index.lock');
    writeFileSync(lock, '');
    const old = new Date(Date.now() - 60_000);
    utimesSync(lock, old, old);
    // A git that waits on its stdin, working in the clone (as an admin's `git commit` in an editor).
    const live = spawn('git', ['hash-object', '--stdin'], {
      cwd: t.mirror,
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    try {
      await new Promise((resolve) => live.once('spawn', resolve));
      expect(gitProcessesIn(t.mirror)).toEqual([live.pid]);
      const error = await t.update().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GitLockedError);
      expect((error as Error).message).toContain(`(git process ${live.pid} is working in the repository)`);
      expect(existsSync(lock)).toBe(true);
    } finally {
      live.stdin?.end();
      live.kill('SIGKILL');
    }
    expect(gitProcessesIn(path.join(t.dir, 'elsewhere'))).toEqual([]);
    mkdirSync(path.join(t.dir, 'elsewhere'));
    expect(gitProcessesIn(path.join(t.dir, 'elsewhere'))).toEqual([]);
  });

  it('turns git stderr into its fatal line, not the tail of the advice paragraph', () => {
    const stderr = `fatal: Unable to create '/x/.git/index.lock': File exists.

Another git process seems to be running in this repository, e.g.
an editor opened by 'git commit'. Please make sure all processes
are terminated then try again. If it still fails, a git process
may have crashed in this repository earlier:
remove the file manually to continue.
`;
    expect(gitMessage(stderr)).toBe("fatal: Unable to create '/x/.git/index.lock': File exists.");
    expect(gitMessage('hint: one\nerror: failed to push\n')).toBe('error: failed to push');
    expect(gitMessage('a\nb\nc\nd\n')).toBe('b | c | d');
  });
});
