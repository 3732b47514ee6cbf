import { constants, promises as fsp } from 'node:fs';
import path from 'node:path';
import {
  type FileStore,
  type GitService,
  isTerminal,
  type Logger,
  partial,
  type Shell,
  shellQuote,
  type TaskOutcome,
  UsageError,
} from '@ffphoton/core';
import type { SelfupgradeSettings } from '../../settings.js';

export interface RepositoryUpdate {
  path: string;
  status: 'pulled' | 'skipped';
  detail: string;
}

export interface SelfUpgradeResult {
  repositories: RepositoryUpdate[];
  /** The npm prefix the CLI is installed into (where this photon runs from, else `npm prefix -g`). */
  prefix: string;
  /** The registry npm installs from (`npm config get registry`). */
  registry: string;
  /** Whether this user may write the prefix (root, or a user-owned prefix). */
  permitted: boolean;
  /** The commands run (or, when not permitted, to run by hand), shell-quoted. */
  commands: string[];
  dryRun: boolean;
}

/** Who runs the upgrade: injectable, because the permission check depends on the user. */
export interface UpgradeEnvironment {
  interactive: boolean;
  isRoot: boolean;
  writable(dir: string): Promise<boolean>;
}

export const processEnvironment: UpgradeEnvironment = {
  // Asked when an upgrade runs: reading process.stdin would set up the stream in every run.
  get interactive() {
    return isTerminal(0);
  },
  isRoot: process.getuid?.() === 0,
  writable: async (dir) =>
    fsp.access(dir, constants.W_OK).then(
      () => true,
      () => false,
    ),
};

const quote = (argv: string[]) => argv.map(shellQuote).join(' ');

/**
 * Successor of photon-dangerous-selfupgrade.py: pull the configured repositories, then
 * update the CLI from npm and the community plugins. Refuses to run from cron unless
 * allowed, and prints the exact command instead of failing halfway when it may not write
 * the npm prefix.
 */
export class SelfUpgrader {
  constructor(
    private readonly shell: Shell,
    private readonly git: GitService,
    private readonly files: FileStore,
    private readonly logger: Logger,
    private readonly environment: UpgradeEnvironment,
  ) {}

  /** `installedPrefix`: the prefix the running photon was installed into, if it is a global npm install. */
  async run(
    settings: SelfupgradeSettings,
    pluginsUpdate: string[],
    installedPrefix?: string,
  ): Promise<TaskOutcome<SelfUpgradeResult>> {
    if (!this.environment.interactive && !settings.allowUnattended) {
      throw new UsageError(
        'refusing to upgrade without a terminal (e.g. from cron); set selfupgrade.allowUnattended: true to allow it',
      );
    }
    const repositories: RepositoryUpdate[] = [];
    for (const repo of settings.repositories) repositories.push(await this.pull(repo));

    const prefix = installedPrefix ?? (await this.shell.run([...settings.npm, 'prefix', '-g'])).stdout.trim();
    const registry = (await this.shell.run([...settings.npm, 'config', 'get', 'registry'])).stdout.trim();
    const install = [
      ...settings.npm,
      'install',
      '-g',
      // Explicit: under sudo or cron npm's own default prefix may be another one.
      ...(installedPrefix ? ['--prefix', installedPrefix] : []),
      ...settings.packages.map((p) => `${p}@${settings.tag}`),
    ];
    const permitted =
      this.environment.isRoot || (await this.environment.writable(path.join(prefix, 'lib', 'node_modules')));
    const result: SelfUpgradeResult = {
      repositories,
      prefix,
      registry,
      permitted,
      commands: [quote(permitted ? install : ['sudo', ...install]), quote(pluginsUpdate)],
      dryRun: this.files.dryRun,
    };
    if (!permitted) {
      return partial(
        result,
        [`${prefix} is not writable`],
        `not permitted to write the npm prefix ${prefix}; run: ${result.commands.join(' && ')}`,
      );
    }
    await this.shell.run(install, { mutates: true, timeoutMs: 15 * 60_000 });
    // The same photon updates the plugins in its plugin directory (see `photon doctor`).
    await this.shell.run(pluginsUpdate, { mutates: true, timeoutMs: 15 * 60_000 });
    return result;
  }

  /**
   * Through GitService, so an unattended pull uses the git settings (ssh key, known_hosts,
   * BatchMode, network timeout), never prompts, and is journaled; it fetches tags too.
   */
  private async pull(repo: string): Promise<RepositoryUpdate> {
    if (!(await this.files.exists(path.join(this.git.taskPath(repo), '.git')))) {
      this.logger.warn({ repo }, `skipping ${repo}: not a git working tree`);
      return { path: repo, status: 'skipped', detail: 'not a git working tree' };
    }
    const result = await (await this.git.open(repo)).pull();
    return {
      path: repo,
      status: 'pulled',
      detail: result.skipped
        ? 'dry-run'
        : result.moved
          ? `${result.before ?? 'empty'}→${result.after}`
          : 'up to date',
    };
  }
}

/** The npm prefix of a global install, from the CLI package's directory `<prefix>/lib/node_modules/@ffphoton/cli`. */
export function installPrefix(cliRoot: string): string | undefined {
  const tail = `${path.sep}${path.join('lib', 'node_modules', '@ffphoton', 'cli')}`;
  const root = path.resolve(cliRoot);
  return root.endsWith(tail) ? root.slice(0, -tail.length) || path.sep : undefined;
}
