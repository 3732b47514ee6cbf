import { gitSettings, TaskCommand, type TaskContext } from '@ffphoton/core';
import { ConfigSnapshot, type SnapshotResult } from '../../services/config-snapshot.js';

export default class GitSnapshot extends TaskCommand<typeof GitSnapshot, SnapshotResult> {
  static override summary = 'Snapshot configuration files and command outputs into the configs repository';
  static override description =
    "Copies git.snapshot.paths (and the locations of the queue file in the repository) into <repo>/<host>/, mirroring their absolute paths, plus the outputs of git.snapshot.commands (crontab -l → crontab, dpkg -l → package_list). Private keys are never copied. Commits only when something changed and publishes, rebasing over other gateways' snapshots. Exit codes: 0 done (also when nothing changed); 2 bad settings or queue file; 4 a rebase conflict (the clone is left as it was); 69 the remote could not be reached.";
  static override settings = [gitSettings];

  static override examples = ['<%= config.bin %> git snapshot', '<%= config.bin %> git snapshot --dry-run'];

  protected async execute(ctx: TaskContext): Promise<SnapshotResult> {
    const git = ctx.git;
    return new ConfigSnapshot(ctx.shell, ctx.files, git, ctx.host, ctx.logger).run(git.settings.snapshot);
  }

  protected summarize(r: SnapshotResult): string {
    if (r.wouldClone) return `git snapshot: would clone ${r.repository} first`;
    const state = r.commit
      ? `${this.did('commit')} ${r.commit.slice(0, 10)}${r.published ? ` and ${this.did('publish')}` : ''}`
      : 'no change';
    return `git snapshot: ${r.files} file(s) in ${r.target}, ${r.written} ${this.done('write')}, ${r.removed} ${this.done('remove')}, ${state}`;
  }
}
