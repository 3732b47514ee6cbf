import { promises as fsp } from 'node:fs';
import path from 'node:path';
import {
  ConfigError,
  type FileStore,
  type GitService,
  type GitSettings,
  type Logger,
  readYaml,
  readYamlTextIfExists,
  type Shell,
} from '@ffphoton/core';
import { DenyList } from './deny-list.js';

export interface SnapshotResult {
  repository: string;
  /** `<repo>/<host>` as a task path. */
  target: string;
  files: number;
  written: number;
  removed: number;
  denied: string[];
  missing: string[];
  commands: { name: string; ok: boolean }[];
  commit?: string;
  published: boolean;
  /** True in dry-run when the clone does not exist yet. */
  wouldClone?: boolean;
}

type SnapshotSettings = GitSettings['snapshot'];

const WRITE_CONCURRENCY = 16;

/**
 * snapshot_configs_all: mirror the configured paths and command outputs into
 * `<repo>/<host>/`, commit only when something changed, publish (rebasing over the
 * other gateways' snapshots).
 */
export class ConfigSnapshot {
  constructor(
    private readonly shell: Shell,
    private readonly files: FileStore,
    private readonly git: GitService,
    private readonly host: string,
    private readonly logger?: Logger,
  ) {}

  async run(cfg: SnapshotSettings): Promise<SnapshotResult> {
    if (!cfg.repository) throw new ConfigError('not configured', { keyPath: 'git.snapshot.repository' });
    const { remote, dir, branch } = cfg.repository;
    const repoDir = this.git.taskPath(dir);
    const target = path.posix.join(repoDir, this.host);
    const result: SnapshotResult = {
      repository: repoDir,
      target,
      files: 0,
      written: 0,
      removed: 0,
      denied: [],
      missing: [],
      commands: [],
      published: false,
    };
    const { repo } = await this.git.ensureClone(remote, dir, { branch });
    if (!repo) return { ...result, wouldClone: true };
    if ((await repo.status()).clean) await repo.pull({ rebase: true });

    const wanted = new Map<string, Buffer>();
    const deny = new DenyList(cfg.deny, cfg.denyDefaults);
    for (const location of [...cfg.paths, ...(await this.queue(repoDir, cfg.queueFile))]) {
      await this.collect(this.git.taskPath(location), wanted, deny, result);
    }
    for (const [name, argv] of Object.entries(cfg.commands)) {
      const run = await this.shell.run(argv, { allowFailure: true });
      result.commands.push({ name, ok: !run.failed });
      if (!run.failed) wanted.set(name, Buffer.from(run.stdout));
      else
        this.logger?.warn(
          { argv, exitCode: run.exitCode },
          `snapshot: ${argv.join(' ')} failed; ${name} skipped`,
        );
    }
    result.files = wanted.size;

    for (const existing of await this.walk(this.files.resolve(target))) {
      if (!wanted.has(existing) && (await this.files.remove(path.posix.join(target, existing))))
        result.removed++;
    }
    // Atomic writes fsync each file; overlapping them keeps a 500-file snapshot short.
    const entries = [...wanted];
    await Promise.all(
      Array.from({ length: WRITE_CONCURRENCY }, async () => {
        for (let next = entries.shift(); next; next = entries.shift()) {
          if ((await this.files.writeIfChanged(path.posix.join(target, next[0]), next[1])).changed)
            result.written++;
        }
      }),
    );

    result.commit = await repo.commitAll(cfg.message.replaceAll('{host}', this.host), [this.host]);
    // Publish what is not on the remote yet: this commit, or one an earlier run could not push.
    const after = await repo.status();
    if (result.commit || after.ahead > 0 || (!after.upstream && (await repo.head()))) {
      result.published = (await repo.publish()).pushed;
    }
    return result;
  }

  /** Photon's queue.yaml: `{locations: [absolute paths]}`. */
  private async queue(repoDir: string, queueFile: string | undefined): Promise<string[]> {
    if (!queueFile) return [];
    const file = path.posix.join(repoDir, queueFile);
    const text = readYamlTextIfExists(this.files, file);
    if (text === undefined) throw new ConfigError('queue file not found', { file });
    const data = readYaml(text, { source: file });
    const locations = (data as { locations?: unknown } | null)?.locations;
    if (!Array.isArray(locations) || !locations.every((l) => typeof l === 'string')) {
      throw new ConfigError('expected a list of paths', { file, keyPath: 'locations' });
    }
    return locations as string[];
  }

  private async collect(
    location: string,
    wanted: Map<string, Buffer>,
    deny: DenyList,
    result: SnapshotResult,
  ) {
    if (!location.startsWith('/')) {
      throw new ConfigError(`snapshot paths must be absolute: ${location}`, {
        keyPath: 'git.snapshot.paths',
      });
    }
    const normalized = path.posix.normalize(location);
    const hostPath = this.files.resolve(normalized);
    const stat = await fsp.lstat(hostPath).catch(() => undefined);
    if (!stat) {
      result.missing.push(normalized);
      return;
    }
    const relative = normalized.replace(/^\/+/, '');
    if (stat.isDirectory()) {
      for (const inner of await this.walk(hostPath)) {
        await this.addFile(
          path.posix.join(normalized, inner),
          path.posix.join(relative, inner),
          wanted,
          deny,
          result,
        );
      }
    } else if (stat.isFile()) {
      await this.addFile(normalized, relative, wanted, deny, result);
    }
  }

  private async addFile(
    taskPath: string,
    relative: string,
    wanted: Map<string, Buffer>,
    deny: DenyList,
    result: SnapshotResult,
  ) {
    if (deny.deniesName(path.posix.basename(taskPath))) {
      result.denied.push(taskPath);
      return;
    }
    const content = await fsp.readFile(this.files.resolve(taskPath));
    if (deny.deniesContent(content)) {
      result.denied.push(taskPath);
      return;
    }
    wanted.set(relative, content);
  }

  /** Regular files below a host directory, relative, sorted; symlinks and .git are skipped. */
  private async walk(dir: string, prefix = ''): Promise<string[]> {
    const entries = await fsp.readdir(path.join(dir, prefix), { withFileTypes: true }).catch(() => []);
    const out: string[] = [];
    for (const entry of entries) {
      const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory() && entry.name !== '.git') out.push(...(await this.walk(dir, relative)));
      else if (entry.isFile()) out.push(relative);
    }
    return out.sort();
  }
}
