import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { clearStaleGitLock, gitProcessesIn, lockFileOf, sweepGitTemps } from './git-lock.js';

const temp = () => mkdtempSync(path.join(os.tmpdir(), 'photon-git-lock-'));

describe('git locks a killed git left', () => {
  it('finds the lock file git names, and nothing else', () => {
    expect(
      lockFileOf(
        "fatal: Unable to create '/srv/keys/.git/index.lock': File exists.\n\nAnother git process seems to be running",
      ),
    ).toBe('/srv/keys/.git/index.lock');
    expect(lockFileOf("error: Unable to create '/srv/keys/.git/refs/heads/main.lock': File exists.")).toBe(
      '/srv/keys/.git/refs/heads/main.lock',
    );
    expect(lockFileOf("fatal: Unable to create '/srv/keys/.git/index': File exists.")).toBeUndefined();
    expect(
      lockFileOf("fatal: Unable to create '/srv/keys/.git/index.lock': Permission denied"),
    ).toBeUndefined();
    expect(lockFileOf('')).toBeUndefined();
  });

  it('removes a lock only once it is old enough: the age is rounded, never negative', () => {
    const dir = temp();
    const lock = path.join(dir, 'index.lock');
    expect(clearStaleGitLock(lock, dir, 30_000)).toEqual({ state: 'gone' });
    writeFileSync(lock, '');
    const mtime = statSync(lock).mtimeMs;
    expect(clearStaleGitLock(lock, dir, 30_000, mtime - 5_000)).toEqual({
      state: 'held',
      ageSeconds: 0,
      pids: [],
    });
    expect(clearStaleGitLock(lock, dir, 30_000, mtime + 29_999)).toEqual({
      state: 'held',
      ageSeconds: 30,
      pids: [],
    });
    expect(existsSync(lock)).toBe(true);
    expect(clearStaleGitLock(lock, dir, 30_000, mtime + 30_000)).toEqual({
      state: 'removed',
      ageSeconds: 30,
    });
    expect(existsSync(lock)).toBe(false);
  });

  it('counts git processes (by /proc comm and cwd) working in the repository or below it', () => {
    const dir = temp();
    const repo = path.join(dir, 'repo');
    mkdirSync(path.join(repo, 'sub'), { recursive: true });
    mkdirSync(`${repo}x`);
    const proc = path.join(dir, 'proc');
    const process_ = (pid: string, comm: string | undefined, cwd: string | undefined) => {
      mkdirSync(path.join(proc, pid), { recursive: true });
      if (comm !== undefined) writeFileSync(path.join(proc, pid, 'comm'), `${comm}\n`);
      if (cwd !== undefined) symlinkSync(cwd, path.join(proc, pid, 'cwd'));
    };
    process_('101', 'git', repo);
    process_('102', 'bash', repo);
    process_('103', 'git-remote-htt', path.join(repo, 'sub'));
    process_('104', 'git', `${repo}x`);
    process_('105', 'git', undefined);
    process_('106', undefined, repo);
    process_('self', 'git', repo);
    process_(String(process.pid), 'git', repo);
    process_('107', 'xgit', repo);
    expect(gitProcessesIn(repo, proc)).toEqual([101, 103]);
    expect(gitProcessesIn(path.join(dir, 'missing'), proc)).toEqual([]);
  });

  it("sweeps a killed git's old temp objects and packs, not young ones or other files", () => {
    const dir = temp();
    expect(sweepGitTemps(path.join(dir, 'no-git'), 1000)).toBe(0);
    const objects = path.join(dir, '.git/objects');
    const file = (p: string, old: boolean) => {
      mkdirSync(path.dirname(path.join(objects, p)), { recursive: true });
      writeFileSync(path.join(objects, p), 'x');
      if (old) utimesSync(path.join(objects, p), new Date(0), new Date(0));
    };
    file('ab/tmp_obj_old', true);
    file('ab/tmp_obj_young', false);
    file('ab/cdef0123', true);
    file('pack/tmp_pack_old', true);
    file('info/tmp_old', true);
    file('abc/tmp_obj_old', true);
    // A two-hex name that is a file, not a directory.
    file('ff', true);
    mkdirSync(path.join(objects, 'pack/tmp_dir'), { recursive: true });
    writeFileSync(path.join(objects, 'pack/tmp_dir/x'), 'x');
    utimesSync(path.join(objects, 'pack/tmp_dir'), new Date(0), new Date(0));
    expect(sweepGitTemps(path.join(dir, '.git'), 60_000)).toBe(3);
    const left = [
      'ab/tmp_obj_old',
      'ab/tmp_obj_young',
      'ab/cdef0123',
      'pack/tmp_pack_old',
      'pack/tmp_dir',
      'info/tmp_old',
      'abc/tmp_obj_old',
      'ff',
    ].filter((p) => existsSync(path.join(objects, p)));
    expect(left).toEqual(['ab/tmp_obj_young', 'ab/cdef0123', 'info/tmp_old', 'abc/tmp_obj_old', 'ff']);
  });
});
