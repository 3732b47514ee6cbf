import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { SimpleGit } from 'simple-git';
import { ConfigError, messageOf, UnavailableError } from '../errors/errors.js';
import type { FileStore } from '../fs/file-store.js';
import type { ChangeRecorder } from '../journal/change-recorder.js';
import type { Logger } from '../log/logger.js';
import { GitCommandError, GitRemoteError, remoteError } from './git-errors.js';
import { GitRepository, type PullResult, runGit } from './git-repository.js';
import type { GitSettings } from './git-settings.js';
import { expandHome } from './home-path.js';
import { shellQuote, sshArgv } from './ssh-command.js';

export interface UpdateResult {
  repo: GitRepository;
  action: 'cloned' | 'pulled' | 'unchanged' | 'reset';
  head?: string;
}

export interface EnsureCloneResult {
  /** Undefined only in dry-run when the clone is missing (it would be created). */
  repo?: GitRepository;
  cloned: boolean;
}

/**
 * Factory of GitRepository objects for one run; registered in the run's container by
 * `registerCoreServices` (`ctx.git`). simple-git is loaded on first use.
 */
export class GitService {
  constructor(
    readonly settings: GitSettings,
    private readonly files: FileStore,
    private readonly host: string,
    private readonly logger?: Logger,
    private readonly recorder?: ChangeRecorder,
  ) {}

  get identity(): { name: string; email: string } {
    return {
      name: this.settings.identity.name ?? this.host,
      email: this.settings.identity.email ?? `photon@${this.host}`,
    };
  }

  /** Expands `~` in a task path (the home inside `--root`). */
  taskPath(p: string): string {
    return expandHome(p, this.settings.home);
  }

  /** The working tree at `dir` (a task path); it must already be a clone. */
  async open(dir: string): Promise<GitRepository> {
    const taskDir = this.taskPath(dir);
    const hostDir = this.files.resolve(taskDir);
    return this.repositoryAt(taskDir, hostDir, await this.client(hostDir));
  }

  private repositoryAt(taskDir: string, hostDir: string, git: SimpleGit): GitRepository {
    return new GitRepository({
      dir: hostDir,
      displayDir: taskDir,
      dryRun: this.files.dryRun,
      identity: this.identity,
      retries: this.settings.publish.retries,
      backoffMs: this.settings.publish.backoffMs,
      logger: this.logger,
      recorder: this.recorder,
      git,
      // No git command of ours runs silent longer than the network timeout (it is killed then).
      staleLockMs: this.settings.networkTimeoutSeconds * 1000,
    });
  }

  /**
   * Clones `remote` into `dir`, or brings the clone up to date (fast-forward only) — the clone a
   * task reads from. With `mirror` the clone is a read-only copy of the remote (key repositories):
   * it follows the remote exactly, also when it was rewound or rewritten, and refuses files that are
   * not the remote's by name instead of deleting them (GitRepository.mirror). In dry-run a missing clone is
   * UnavailableError: there is nothing to read.
   */
  async update(
    remote: string | undefined,
    dir: string,
    options: { branch?: string; mirror?: boolean } = {},
  ): Promise<UpdateResult> {
    const taskDir = this.taskPath(dir);
    const { repo, cloned } = await this.ensureClone(remote, dir, options);
    if (!repo) throw new UnavailableError(`${taskDir} is not cloned yet; run once without --dry-run`);
    if (cloned) return { repo, action: 'cloned', head: await repo.head() };
    if (!remote) return { repo, action: 'unchanged', head: await repo.head() };
    if (options.mirror) {
      const mirrored = await repo.mirror();
      if (mirrored.action === 'reset')
        this.logger?.info(
          { dir: taskDir, before: mirrored.before, after: mirrored.after },
          `${taskDir} reset to the remote`,
        );
      return { repo, action: mirrored.action, head: mirrored.after };
    }
    const pulled: PullResult = await repo.pull();
    return { repo, action: pulled.moved ? 'pulled' : 'unchanged', head: pulled.after };
  }

  /** Clones `remote` into `dir` unless a clone is there; a non-empty non-repository directory is refused. */
  async ensureClone(
    remote: string | undefined,
    dir: string,
    options: { branch?: string } = {},
  ): Promise<EnsureCloneResult> {
    const taskDir = this.taskPath(dir);
    const hostDir = this.files.resolve(taskDir);
    if (await this.files.exists(path.join(hostDir, '.git'))) {
      // One client for the check and the repository: each builds the ssh command and an env copy.
      const git = await this.client(hostDir);
      if (await isRepositoryRoot(git, hostDir))
        return { repo: this.repositoryAt(taskDir, hostDir, git), cloned: false };
    }
    if (!remote)
      throw new ConfigError(`${taskDir} is not a git clone and no remote is configured to clone it from`);
    const entries = await this.files.list(taskDir);
    if (entries.length > 0) throw new ConfigError(`${taskDir} exists, is not empty and is not a git clone`);
    if (this.files.dryRun) {
      this.logger?.info({ remote, dir: taskDir }, `dry-run: would clone ${remote} into ${taskDir}`);
      return { cloned: false };
    }
    await this.files.mkdir(path.posix.dirname(taskDir));
    const git = await this.client(path.dirname(hostDir));
    try {
      const branch = options.branch ? ['--branch', options.branch] : [];
      await runGit(git, ['clone', '--quiet', ...branch, '--', remote, hostDir], hostDir, this.recorder);
    } catch (error) {
      const text = messageOf(error);
      if (/timeout/i.test(text))
        throw new GitRemoteError(`git clone ${remote}: timed out`, 'timeout', { cause: error });
      throw remoteError('git clone', remote, text, error);
    }
    this.logger?.info({ remote, dir: taskDir }, `cloned ${remote}`);
    return { repo: await this.open(dir), cloned: true };
  }

  private async client(baseDir: string) {
    const { simpleGit } = await import('simple-git');
    const ssh = (await sshArgv(this.settings, this.files)).map(shellQuote).join(' ');
    // simple-git 4 strips GIT_* from the ambient environment; pass ours explicitly.
    const env: Record<string, string> = { GIT_SSH_COMMAND: ssh, GIT_TERMINAL_PROMPT: '0' };
    for (const [key, value] of Object.entries(process.env)) {
      if (value !== undefined && !key.startsWith('GIT_') && key !== 'EDITOR' && key !== 'PAGER')
        env[key] = value;
    }
    return simpleGit({
      baseDir,
      maxConcurrentProcesses: 2,
      trimmed: false,
      timeout: { block: this.settings.networkTimeoutSeconds * 1000 },
      // The default also completes 50 ms after 'exit', which on a loaded machine can cut
      // stdout short (an empty rev-parse, a missing branch); wait for the streams to close.
      completion: { onClose: true, onExit: false },
      unsafe: { allowUnsafeSshCommand: true },
      allowEnvironment: ['GIT_SSH_COMMAND', 'GIT_TERMINAL_PROMPT'],
    }).env(env);
  }
}

/** Whether `hostDir` is the top of its working tree (not a directory inside another clone). */
async function isRepositoryRoot(git: SimpleGit, hostDir: string): Promise<boolean> {
  try {
    const top = (await git.raw(['rev-parse', '--show-toplevel'])).trim();
    return top === (await fsp.realpath(hostDir));
  } catch (error) {
    throw new GitCommandError(`${hostDir} has a .git but git does not accept it: ${messageOf(error)}`);
  }
}
