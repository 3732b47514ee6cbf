import {
  GitConflictError,
  type GitRepository,
  type GitService,
  type Logger,
  type Shell,
  UnavailableError,
} from '@ffphoton/core';

export interface PeersRepoSettings {
  remote: string;
  local: string;
  branch?: string;
}

/**
 * The key repository as a read-only mirror (as sync_meshkeys_gw.sh: clone, else fetch and reset
 * hard, clean). Core's GitService clones and pulls (photon's ssh settings, network timeout, error
 * classification); core has no mirror operation, so a clone that cannot fast-forward (a force-pushed
 * key repository) or has local edits is reset to the remote here.
 */
export class PeersRepository {
  constructor(
    private readonly git: GitService,
    private readonly shell: Shell,
    private readonly logger: Logger,
  ) {}

  /** Clones or updates the mirror; returns its host path. In dry-run the existing clone is read as it is. */
  async update(repo: PeersRepoSettings): Promise<string> {
    const { repo: clone, cloned } = await this.git.ensureClone(repo.remote, repo.local, {
      branch: repo.branch,
    });
    // Only in --dry-run, which does not clone.
    if (!clone) throw new UnavailableError(`peers repository clone ${repo.local} does not exist yet`);
    if (cloned) return clone.dir;
    try {
      await clone.pull();
    } catch (error) {
      if (!(error instanceof GitConflictError)) throw error;
      this.logger.warn({ dir: repo.local }, `${error.message}; resetting the mirror to the remote`);
      await this.reset(clone, `origin/${(await clone.branch()) ?? repo.branch ?? 'HEAD'}`);
      return clone.dir;
    }
    // Untracked or modified files would be read as peer files: the mirror holds the remote's tree only.
    if (!(await clone.status()).clean) {
      this.logger.warn({ dir: repo.local }, 'peers repository clone had local changes; discarding them');
      await this.reset(clone, 'HEAD');
    }
    return clone.dir;
  }

  private async reset(clone: GitRepository, target: string): Promise<void> {
    await this.shell.run(['git', '-C', clone.dir, 'reset', '--quiet', '--hard', target], { mutates: true });
    await this.shell.run(['git', '-C', clone.dir, 'clean', '-q', '-f', '-f', '-d', '-x'], { mutates: true });
  }
}
