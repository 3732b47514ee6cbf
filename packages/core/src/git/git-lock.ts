import { readdirSync, readFileSync, readlinkSync, realpathSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * The lock file git names when it cannot take one: `Unable to create '<path>.lock': File exists.`
 * (index.lock, HEAD.lock, refs/…/<branch>.lock, packed-refs.lock, shallow.lock …).
 */
export function lockFileOf(stderr: string): string | undefined {
  return /Unable to create '([^']+\.lock)': File exists/.exec(stderr)?.[1];
}

/** The pids of running git processes (git, git-remote-*, git-upload-pack …) whose working directory is in `repoDir`. */
export function gitProcessesIn(repoDir: string, proc = '/proc'): number[] {
  let top: string;
  try {
    top = realpathSync(repoDir);
  } catch {
    return [];
  }
  const pids: number[] = [];
  for (const name of readdirSync(proc)) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      if (!readFileSync(path.join(proc, name, 'comm'), 'utf8').startsWith('git')) continue;
      const cwd = readlinkSync(path.join(proc, name, 'cwd'));
      if (cwd === top || cwd.startsWith(`${top}/`)) pids.push(Number(name));
    } catch {
      // Gone meanwhile, or another user's process we may not inspect.
    }
  }
  return pids;
}

export type LockVerdict =
  | { state: 'removed'; ageSeconds: number }
  | { state: 'gone' }
  | { state: 'held'; ageSeconds: number; pids: number[] };

/**
 * Removes `lock` when a killed git left it: older than `staleAfterMs` (longer than any git command
 * of ours may run) and no live git process works in `repoDir`. A younger lock may belong to a git
 * we cannot see (another user, another namespace), so it is left alone.
 */
export function clearStaleGitLock(
  lock: string,
  repoDir: string,
  staleAfterMs: number,
  now = Date.now(),
): LockVerdict {
  let mtimeMs: number;
  try {
    mtimeMs = statSync(lock).mtimeMs;
  } catch {
    return { state: 'gone' };
  }
  const ageSeconds = Math.max(0, Math.round((now - mtimeMs) / 1000));
  const pids = gitProcessesIn(repoDir);
  if (pids.length > 0 || now - mtimeMs < staleAfterMs) return { state: 'held', ageSeconds, pids };
  rmSync(lock, { force: true });
  return { state: 'removed', ageSeconds };
}

/**
 * Removes the temp files a killed git leaves in the object store (`objects/??/tmp_obj_*`,
 * `objects/pack/tmp_*`) older than `staleAfterMs`; called once a stale lock showed a git was killed.
 * git ignores them, but they would pile up until a gc two weeks later. Returns how many went.
 */
export function sweepGitTemps(gitDir: string, staleAfterMs: number, now = Date.now()): number {
  const objects = path.join(gitDir, 'objects');
  let removed = 0;
  let dirs: string[];
  try {
    dirs = readdirSync(objects).filter((name) => /^[0-9a-f]{2}$|^pack$/.test(name));
  } catch {
    return 0;
  }
  for (const dir of dirs) {
    let names: string[];
    try {
      names = readdirSync(path.join(objects, dir)).filter((name) => name.startsWith('tmp_'));
    } catch {
      continue;
    }
    for (const name of names) {
      const file = path.join(objects, dir, name);
      try {
        if (now - statSync(file).mtimeMs < staleAfterMs) continue;
        rmSync(file, { force: true, recursive: true });
        removed++;
      } catch {
        // gone meanwhile
      }
    }
  }
  return removed;
}
