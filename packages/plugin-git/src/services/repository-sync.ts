import path from 'node:path';
import {
  type GitService,
  type Logger,
  messageOf,
  PhotonError,
  partial,
  type Shell,
  type SyncRepository,
  type TaskOutcome,
} from '@ffphoton/core';

export interface RepositorySyncReport {
  name: string;
  dir: string;
  action: 'cloned' | 'pulled' | 'unchanged' | 'would-clone' | 'failed';
  before?: string;
  after?: string;
  committed?: string;
  published: boolean;
  hook?: 'ran' | 'failed';
  error?: { code: string; message: string };
}

export interface SyncResult {
  repositories: RepositorySyncReport[];
}

/**
 * Keeps clones current (sync_ffapi, sync_meshkeys): clone if missing, pull, optionally
 * commit and publish local edits, and run the repository's hook when HEAD moved.
 */
export class RepositorySync {
  constructor(
    private readonly shell: Shell,
    private readonly git: GitService,
    private readonly host: string,
    private readonly logger?: Logger,
  ) {}

  async run(repositories: SyncRepository[]): Promise<TaskOutcome<SyncResult>> {
    const reports: RepositorySyncReport[] = [];
    const errors: unknown[] = [];
    // One at a time: hooks often reload the same service, and a gateway is a small machine.
    for (const spec of repositories) {
      const name = repositoryName(spec);
      try {
        reports.push(await this.syncOne(spec, name));
      } catch (error) {
        errors.push(error);
        const code = error instanceof PhotonError ? error.code : 'FAILED';
        const message = messageOf(error);
        this.logger?.error({ repository: name }, message);
        reports.push({ name, dir: spec.dir, action: 'failed', published: false, error: { code, message } });
      }
    }
    const result = { repositories: reports };
    if (errors.length > 0 && errors.length === repositories.length) throw errors[0];
    if (errors.length === 0) return result;
    const problems = reports.filter((r) => r.error).map((r) => `${r.name}: ${r.error?.message}`);
    return partial(result, problems, `git sync: ${problems.length} of ${reports.length} repositories failed`);
  }

  private async syncOne(spec: SyncRepository, name: string): Promise<RepositorySyncReport> {
    const { repo, cloned } = await this.git.ensureClone(spec.remote, spec.dir, { branch: spec.branch });
    if (!repo) return { name, dir: spec.dir, action: 'would-clone', published: false };
    const committed = spec.commit
      ? await repo.commitAll(spec.message.replaceAll('{host}', this.host))
      : undefined;
    const pulled = cloned ? undefined : await repo.pull({ rebase: spec.pull === 'rebase' || spec.commit });
    let published = false;
    if (spec.commit && (committed || (await repo.status()).ahead > 0))
      published = (await repo.publish()).pushed;
    const after = await repo.head();
    const moved = cloned || Boolean(pulled?.moved);
    const report: RepositorySyncReport = {
      name,
      dir: spec.dir,
      action: cloned ? 'cloned' : moved ? 'pulled' : 'unchanged',
      before: pulled?.before,
      after,
      committed,
      published,
    };
    if (moved && spec.onChange) {
      // The hook sees the new tree; its failure makes this repository fail, not the others.
      await this.shell.run(spec.onChange, { cwd: repo.dir, mutates: true });
      report.hook = 'ran';
    }
    return report;
  }
}

export function repositoryName(spec: SyncRepository): string {
  return spec.name ?? path.posix.basename(spec.dir.replace(/\/+$/, ''));
}
