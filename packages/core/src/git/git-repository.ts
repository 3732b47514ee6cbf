import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SimpleGit } from 'simple-git';
import { messageOf, PhotonError } from '../errors/errors.js';
import type { ChangeRecorder } from '../journal/change-recorder.js';
import type { Logger } from '../log/logger.js';
import {
  GitCommandError,
  GitConflictError,
  GitLocalChangesError,
  GitLockedError,
  GitRemoteError,
  gitMessage,
  remoteError,
} from './git-errors.js';
import { clearStaleGitLock, lockFileOf, sweepGitTemps } from './git-lock.js';
import { type GitStatus, parsePorcelainV2 } from './git-status.js';

export interface GitRepositoryOptions {
  /** Host path of the working tree. */
  dir: string;
  /** The path as the task sees it, for messages. */
  displayDir: string;
  dryRun: boolean;
  identity: { name: string; email: string };
  retries: number;
  backoffMs: number;
  logger?: Logger;
  /** Where each git command is recorded for the run's journal. */
  recorder?: ChangeRecorder;
  /** simple-git instance bound to `dir`, with GIT_SSH_COMMAND and the network timeout. */
  git: SimpleGit;
  /** A git lock file older than this, with no git process in the repository, was left by a killed git. */
  staleLockMs: number;
}

export interface PullResult {
  before?: string;
  after?: string;
  moved: boolean;
  skipped: boolean;
}

export interface MirrorResult {
  before?: string;
  after?: string;
  /** `pulled`: the remote moved forward; `reset`: rewound or rewritten, or a broken tree repaired. */
  action: 'pulled' | 'reset' | 'unchanged';
}

export interface PublishResult {
  pushed: boolean;
  attempts: number;
  rebased: number;
  skipped: boolean;
  head?: string;
}

const MAX_BACKOFF_MS = 8_000;

const NON_FAST_FORWARD =
  /non-fast-forward|fetch first|\[rejected\]|failed to (update|lock) ref|cannot lock ref|Updates were rejected|remote rejected/i;
const LOCAL_CHANGES =
  /would be overwritten|commit or stash|You have unstaged changes|Your index contains uncommitted changes/i;

/** One working tree. Network operations are bounded by the simple-git timeout plugin. */
export class GitRepository {
  constructor(private readonly options: GitRepositoryOptions) {}

  get dir(): string {
    return this.options.dir;
  }

  async head(): Promise<string | undefined> {
    try {
      return (await this.raw(['rev-parse', '--verify', '--quiet', 'HEAD'])).trim() || undefined;
    } catch {
      return undefined;
    }
  }

  async branch(): Promise<string | undefined> {
    try {
      return (await this.raw(['symbolic-ref', '--quiet', '--short', 'HEAD'])).trim() || undefined;
    } catch {
      return undefined;
    }
  }

  async status(extra: string[] = []): Promise<GitStatus> {
    return parsePorcelainV2(await this.raw(['status', '--porcelain=v2', '--branch', '-z', ...extra]));
  }

  /** Pull from the upstream: fast-forward only, or rebase local commits (aborted on conflict). */
  async pull(options: { rebase?: boolean } = {}): Promise<PullResult> {
    const before = await this.head();
    if (this.options.dryRun) {
      this.options.logger?.info(
        { dir: this.options.displayDir },
        `dry-run: would pull ${this.options.displayDir}`,
      );
      return { before, after: before, moved: false, skipped: true };
    }
    const branch = await this.branch();
    await this.fetch();
    if (!branch || !(await this.hasRef(`refs/remotes/origin/${branch}`))) {
      // An empty remote (nothing pushed yet) or a detached HEAD: nothing to integrate.
      return { before, after: before, moved: false, skipped: false };
    }
    if (options.rebase) await this.rebaseOnto(`origin/${branch}`);
    else {
      try {
        await this.raw(['merge', '--ff-only', '--quiet', `origin/${branch}`]);
      } catch (error) {
        if (error instanceof PhotonError) throw error;
        const text = messageOf(error);
        if (LOCAL_CHANGES.test(text)) {
          throw new GitConflictError(
            `${this.options.displayDir}: local changes conflict with the pulled ones; nothing was changed (${gitMessage(text)})`,
            this.options.displayDir,
          );
        }
        if (/Not possible to fast-forward|diverg|unrelated histories/i.test(text)) {
          throw new GitConflictError(
            `${this.options.displayDir}: the clone has diverged from origin/${branch}; a fast-forward is not possible`,
            this.options.displayDir,
          );
        }
        throw new GitCommandError(`git merge in ${this.options.displayDir} failed: ${gitMessage(text)}`);
      }
    }
    const after = await this.head();
    return { before, after, moved: before !== after, skipped: false };
  }

  /** The names of every blob in the object database: everything the repository ever held (until gc). */
  async blobNames(): Promise<Set<string>> {
    const listing = await this.raw([
      'cat-file',
      '--batch-all-objects',
      '--batch-check=%(objecttype) %(objectname)',
    ]);
    const names = new Set<string>();
    for (const line of listing.split('\n')) if (line.startsWith('blob ')) names.add(line.slice(5));
    return names;
  }

  /** Makes the working tree exactly `target` (reset --hard, clean): a mirror's recovery. Skipped in dry-run. */
  async resetTo(target: string): Promise<void> {
    if (this.options.dryRun) {
      this.options.logger?.info(
        { dir: this.options.displayDir, target },
        `dry-run: would reset ${this.options.displayDir} to ${target}`,
      );
      return;
    }
    await this.raw(['reset', '--quiet', '--hard', target]);
    // Not -x: ignored files are not the remote's to remove.
    await this.raw(['clean', '-q', '-f', '-f', '-d']);
  }

  /**
   * Makes a read-only clone exactly the remote's branch: fetch, then reset whenever HEAD or the tree
   * differs (a fast-forward, a rewound or rewritten remote, a checkout a killed git left half done).
   * A file whose content is neither the remote's nor HEAD's is someone's edit: it is refused by name
   * (GitLocalChangesError) and nothing is touched. Dry-run fetches nothing and reports unchanged.
   */
  async mirror(): Promise<MirrorResult> {
    const before = await this.head();
    if (this.options.dryRun) {
      this.options.logger?.info(
        { dir: this.options.displayDir },
        `dry-run: would update the mirror ${this.options.displayDir}`,
      );
      return { before, after: before, action: 'unchanged' };
    }
    const branch = await this.branch();
    await this.fetch();
    const ref = branch ? `refs/remotes/origin/${branch}` : 'refs/remotes/origin/HEAD';
    const target = await this.revParse(ref);
    // An empty remote (nothing pushed yet): nothing to mirror.
    if (!target) return { before, after: before, action: 'unchanged' };
    const status = await this.status(['--untracked-files=all']);
    if (!status.clean) {
      const edits = await this.localEdits(status, [before, target]);
      if (edits.length > 0) {
        throw new GitLocalChangesError(
          `${this.options.displayDir}: ${edits.length} file(s) not from the remote: ${edits.slice(0, 5).join(', ')}${edits.length > 5 ? ', …' : ''}; they are kept and nothing was synced (move them away, or commit them to the remote)`,
          this.options.displayDir,
          edits,
        );
      }
    }
    if (before === target && status.clean) return { before, after: before, action: 'unchanged' };
    await this.resetTo(target);
    const forward =
      before !== target && before !== undefined && status.clean && (await this.isAncestor(before, target));
    return { before, after: target, action: forward ? 'pulled' : 'reset' };
  }

  /** Stages everything and commits it when something changed; returns the new HEAD or undefined. */
  async commitAll(message: string, paths: string[] = ['.']): Promise<string | undefined> {
    const status = await this.status();
    if (status.conflicted.length > 0) {
      throw new GitConflictError(
        `${this.options.displayDir}: unresolved conflicts in ${status.conflicted.join(', ')}`,
        this.options.displayDir,
        status.conflicted,
      );
    }
    if (status.clean) return undefined;
    if (this.options.dryRun) {
      this.options.logger?.info({ dir: this.options.displayDir }, `dry-run: would commit "${message}"`);
      return undefined;
    }
    await this.raw(['add', '--all', '--', ...paths]);
    const staged = await this.raw(['diff', '--cached', '--name-only', '-z']);
    if (!staged) return undefined;
    const { name, email } = this.options.identity;
    await this.raw([
      '-c',
      `user.name=${name}`,
      '-c',
      `user.email=${email}`,
      'commit',
      '--quiet',
      '--no-verify',
      '-m',
      message,
    ]);
    // After a commit HEAD must resolve; a failure here is an error, not "nothing committed".
    return (await this.raw(['rev-parse', 'HEAD'])).trim();
  }

  /**
   * Push the current branch. A non-fast-forward push is retried after fetch + rebase with a
   * random back-off (several gateways push into one repository at the same minute); a real
   * conflict aborts the rebase and raises GitConflictError with the tree as it was.
   */
  async publish(): Promise<PublishResult> {
    const branch = await this.branch();
    if (!branch) throw new GitCommandError(`${this.options.displayDir}: not on a branch; nothing to publish`);
    if (this.options.dryRun) {
      this.options.logger?.info({ branch }, `dry-run: would push ${branch}`);
      return { pushed: false, attempts: 0, rebased: 0, skipped: true, head: await this.head() };
    }
    let rebased = 0;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.raw([
          'push',
          '--quiet',
          '--porcelain',
          '--set-upstream',
          'origin',
          `HEAD:refs/heads/${branch}`,
        ]);
        return { pushed: true, attempts: attempt, rebased, skipped: false, head: await this.head() };
      } catch (error) {
        if (error instanceof PhotonError) throw error;
        const text = messageOf(error);
        if (!NON_FAST_FORWARD.test(text)) throw this.networkError('push', error);
        if (attempt > this.options.retries) {
          throw new GitCommandError(
            `${this.options.displayDir}: push still rejected after ${attempt} attempts (${gitMessage(text)})`,
          );
        }
        this.options.logger?.debug({ attempt }, 'push rejected, rebasing onto the remote');
        // Full jitter on an exponential window: a gateway that keeps losing the race spreads out.
        const window = Math.min(this.options.backoffMs * 2 ** (attempt - 1), MAX_BACKOFF_MS);
        await sleep(Math.round(Math.random() * window));
        await this.fetch();
        if (await this.hasRef(`refs/remotes/origin/${branch}`)) {
          await this.rebaseOnto(`origin/${branch}`);
          rebased++;
        }
      }
    }
  }

  private async fetch(): Promise<void> {
    try {
      await this.raw(['fetch', '--quiet', '--prune', '--tags', 'origin']);
    } catch (error) {
      if (error instanceof PhotonError) throw error;
      throw this.networkError('fetch', error);
    }
  }

  private async rebaseOnto(upstream: string): Promise<void> {
    try {
      await this.raw(['rebase', '--quiet', upstream]);
    } catch (error) {
      if (error instanceof PhotonError) throw error;
      const text = messageOf(error);
      const status = await this.status().catch(() => undefined);
      await this.raw(['rebase', '--abort']).catch(() => undefined);
      if (LOCAL_CHANGES.test(text) || /CONFLICT|could not apply|Resolve all conflicts/i.test(text)) {
        throw new GitConflictError(
          `${this.options.displayDir}: rebase onto ${upstream} conflicts${status?.conflicted.length ? ` in ${status.conflicted.join(', ')}` : ''}; aborted, the tree is as it was`,
          this.options.displayDir,
          status?.conflicted ?? [],
        );
      }
      throw new GitCommandError(`git rebase in ${this.options.displayDir} failed: ${gitMessage(text)}`);
    }
  }

  /**
   * One git command. A lock a killed git left behind is removed (and logged) and the command run
   * again; a lock that may be live is GitLockedError naming it.
   */
  private async raw(args: string[]): Promise<string> {
    const removed = new Set<string>();
    for (;;) {
      try {
        return await runGit(this.git, args, this.options.dir, this.options.recorder);
      } catch (error) {
        const lock = lockFileOf(messageOf(error));
        if (!lock || removed.has(lock)) throw error;
        const verdict = clearStaleGitLock(lock, this.options.dir, this.options.staleLockMs);
        if (verdict.state === 'held') {
          const why =
            verdict.pids.length > 0
              ? `git process ${verdict.pids.join(', ')} is working in the repository`
              : `it is ${verdict.ageSeconds} s old; it is removed once it is ${Math.round(this.options.staleLockMs / 1000)} s old and no git process works in the repository`;
          // The lock as the task sees it (under --root the host path means little to the admin).
          const shown = lock.startsWith(`${this.options.dir}/`)
            ? `${this.options.displayDir}${lock.slice(this.options.dir.length)}`
            : lock;
          throw new GitLockedError(
            `${this.options.displayDir}: git is locked by ${shown} (${why}); nothing was changed, try again later`,
            lock,
          );
        }
        if (verdict.state === 'removed') {
          // The killed git may also have left temp objects behind.
          const temps = sweepGitTemps(path.join(this.options.dir, '.git'), this.options.staleLockMs);
          this.options.logger?.warn(
            { dir: this.options.displayDir, lock, ageSeconds: verdict.ageSeconds, temps },
            `removed ${lock}, left by a killed git ${verdict.ageSeconds} s ago${temps ? `, and ${temps} temp object file(s)` : ''}`,
          );
        }
        removed.add(lock);
      }
    }
  }

  private async revParse(ref: string): Promise<string | undefined> {
    try {
      return (await this.raw(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`])).trim() || undefined;
    } catch (error) {
      if (error instanceof PhotonError) throw error;
      return undefined;
    }
  }

  private async isAncestor(ancestor: string, commit: string): Promise<boolean> {
    // Not `--is-ancestor`: simple-git reports a silent non-zero exit as success.
    try {
      return (await this.raw(['merge-base', ancestor, commit])).trim() === ancestor;
    } catch (error) {
      if (error instanceof PhotonError) throw error;
      return false;
    }
  }

  /**
   * The changed paths whose working-tree content is in none of `commits`: an admin's files. Content
   * equal to one of them, or the start of one (git writes a file in place: a killed checkout leaves
   * it empty or cut short), is what a killed checkout or reset left half done; a deleted file is restorable.
   */
  private async localEdits(status: GitStatus, commits: (string | undefined)[]): Promise<string[]> {
    const paths = [
      ...new Set([...status.untracked, ...status.modified, ...status.staged, ...status.conflicted]),
    ].filter((p) => existsSync(path.join(this.options.dir, p)));
    if (paths.length === 0) return [];
    const hashes = (await this.raw(['hash-object', '--no-filters', '--', ...paths])).trim().split('\n');
    const blobs = new Map<string, string[]>();
    for (const commit of commits) {
      if (!commit) continue;
      const listing = await this.raw(['ls-tree', '-r', '-z', commit, '--', ...paths]);
      for (const line of listing.split('\0')) {
        const [meta, file] = line.split('\t');
        if (file) blobs.set(file, [...(blobs.get(file) ?? []), meta.split(' ')[2]]);
      }
    }
    const edits: string[] = [];
    for (const [i, file] of paths.entries()) {
      const known = blobs.get(file) ?? [];
      if (known.includes(hashes[i])) continue;
      const text = readFileSync(path.join(this.options.dir, file));
      let cutShort = false;
      for (const blob of known) {
        if (cutShort) break;
        const content = Buffer.from(await this.raw(['cat-file', 'blob', blob]), 'utf8');
        cutShort = content.subarray(0, text.length).equals(text);
      }
      if (!cutShort) edits.push(file);
    }
    return edits.sort();
  }

  private async hasRef(ref: string): Promise<boolean> {
    // Not `show-ref --verify --quiet`: simple-git reports its silent non-zero exit as success, so
    // every ref "existed" and a pull from an empty remote failed in `git merge`.
    return (await this.revParse(ref)) !== undefined;
  }

  private networkError(operation: string, error: unknown) {
    const text = messageOf(error);
    if (/timeout|timed out/i.test(text) && !/ConnectTimeout/.test(text)) {
      return new GitRemoteError(`git ${operation} in ${this.options.displayDir}: timed out`, 'timeout', {
        cause: error,
      });
    }
    return remoteError(`git ${operation}`, `(${this.options.displayDir})`, text, error);
  }

  private get git(): SimpleGit {
    return this.options.git;
  }

  /**
   * Checks out a branch (tracking origin's when there is no local one), or a tag or commit as a
   * detached HEAD: Photon's `branch=`/`tag=`/`commit=` setters. Local changes that would be
   * overwritten are a GitConflictError and leave the tree as it was; an unknown ref is a
   * GitCommandError. Skipped in dry-run. Returns the new HEAD.
   */
  async checkout(
    target: { branch: string } | { tag: string } | { commit: string },
  ): Promise<string | undefined> {
    const [kind, ref] = Object.entries(target)[0] as ['branch' | 'tag' | 'commit', string];
    if (!ref || ref.startsWith('-')) throw new GitCommandError(`not a git ${kind}: ${JSON.stringify(ref)}`);
    if (this.options.dryRun) {
      this.options.logger?.info(
        { dir: this.options.displayDir, [kind]: ref },
        `dry-run: would check out ${kind} ${ref} in ${this.options.displayDir}`,
      );
      return this.head();
    }
    const args =
      kind === 'branch'
        ? ['checkout', '--quiet', ref, '--']
        : ['checkout', '--quiet', '--detach', kind === 'tag' ? `refs/tags/${ref}` : ref, '--'];
    try {
      await this.raw(args);
    } catch (error) {
      const text = messageOf(error);
      if (LOCAL_CHANGES.test(text)) {
        throw new GitConflictError(
          `${this.options.displayDir}: local changes block checking out ${kind} ${ref}; nothing was changed`,
          this.options.displayDir,
        );
      }
      throw new GitCommandError(
        `git checkout of ${kind} ${ref} in ${this.options.displayDir} failed: ${gitMessage(text)}`,
      );
    }
    return this.head();
  }

  /** The tags, in version order (v1.2 before v1.10). */
  async tags(): Promise<string[]> {
    return (await this.raw(['tag', '--list', '--sort=version:refname'])).split('\n').filter(Boolean);
  }

  /** The newest `limit` commits of HEAD (or `ref`): hash, author, ISO date and subject. */
  async log(limit = 10, ref = 'HEAD'): Promise<GitLogEntry[]> {
    if (!(await this.head())) return [];
    const out = await this.raw([
      'log',
      `--max-count=${limit}`,
      '--format=%H%x00%an%x00%aI%x00%s%x1e',
      ref,
      '--',
    ]);
    return out
      .split('\x1e')
      .map((record) => record.trim())
      .filter(Boolean)
      .map((record) => {
        const [commit, author, date, subject] = record.split('\0');
        return { commit, author, date, subject };
      });
  }
}

export interface GitLogEntry {
  commit: string;
  author: string;
  /** ISO 8601 author date. */
  date: string;
  subject: string;
}

/** One git command, recorded for the journal like the commands a task runs through Shell. */
export async function runGit(
  git: SimpleGit,
  args: string[],
  cwd: string,
  recorder: ChangeRecorder | undefined,
): Promise<string> {
  const started = performance.now();
  let exitCode = 0;
  try {
    return await git.raw(args);
  } catch (error) {
    exitCode = 1;
    throw error;
  } finally {
    recorder?.recordCommand({
      argv: ['git', ...args],
      cwd,
      stdout: '',
      stderr: '',
      exitCode,
      signal: undefined,
      durationMs: Math.round(performance.now() - started),
      timedOut: false,
      failed: exitCode !== 0,
      skipped: false,
    });
  }
}
