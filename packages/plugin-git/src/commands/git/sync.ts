import {
  Flags,
  gitSettings,
  TaskCommand,
  type TaskContext,
  type TaskOutcome,
  UsageError,
} from '@ffphoton/core';
import { RepositorySync, repositoryName, type SyncResult } from '../../services/repository-sync.js';

export default class GitSync extends TaskCommand<typeof GitSync, SyncResult> {
  static override summary = 'Clone or pull the configured repositories, publish local edits, run hooks';
  static override description =
    "For each entry of git.repositories: clone it if missing, pull (fast-forward only, or rebase), with commit: true commit and publish local changes, and run its onChange argv when HEAD moved. Exit codes: 0 done; 5 some repositories failed (the others were synced); when all fail, the first failure's code: 4 conflict (nothing changed), 69 remote unreachable, 2 bad settings.";
  static override settings = [gitSettings];
  static override flags = {
    repo: Flags.string({ summary: 'Only this repository (its name; repeatable).', multiple: true }),
  };

  static override examples = ['<%= config.bin %> git sync', '<%= config.bin %> git sync --json'];

  protected async execute(ctx: TaskContext): Promise<TaskOutcome<SyncResult>> {
    const git = ctx.git;
    const wanted = this.flags.repo;
    const repositories = wanted
      ? git.settings.repositories.filter((r) => wanted.includes(repositoryName(r)))
      : git.settings.repositories;
    const unknown = wanted?.filter(
      (name) => !git.settings.repositories.some((r) => repositoryName(r) === name),
    );
    if (unknown?.length)
      throw new UsageError(`no repository named ${unknown.join(', ')} in git.repositories`);
    return new RepositorySync(ctx.shell, git, ctx.host, ctx.logger).run(repositories);
  }

  protected summarize(r: SyncResult): string {
    const moved = r.repositories.filter((x) => x.action === 'cloned' || x.action === 'pulled').length;
    return `git sync: ${r.repositories.length} repositories, ${moved} ${this.done('update')}`;
  }

  protected override render(r: SyncResult): string[] {
    return r.repositories.map(
      (x) => `${x.name}\t${x.action}${x.published ? ', published' : ''}${x.hook ? `, hook ${x.hook}` : ''}`,
    );
  }
}
