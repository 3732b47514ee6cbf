import type { FileStore, Shell } from '@ffphoton/core';

export interface PeersRepoSettings {
  remote: string;
  local: string;
  branch?: string;
}

/**
 * The key repository as a read-only mirror (as sync_meshkeys_gw.sh: clone, else fetch and
 * reset hard, clean). A small git-CLI class until core's git service is exported.
 */
export class PeersRepository {
  constructor(
    private readonly shell: Shell,
    private readonly files: FileStore,
  ) {}

  /** Clones or updates the mirror; returns its host path. In dry-run the existing clone is read as it is. */
  async update(repo: PeersRepoSettings): Promise<string> {
    const dir = this.files.resolve(repo.local);
    const isClone = await this.shell.run(['git', '-C', dir, 'rev-parse', '--git-dir'], {
      allowFailure: true,
    });
    if (isClone.failed) {
      const branch = repo.branch ? ['--branch', repo.branch] : [];
      await this.shell.run(['git', 'clone', '--quiet', ...branch, repo.remote, dir], { mutates: true });
      return dir;
    }
    await this.shell.run(['git', '-C', dir, 'fetch', '--quiet', 'origin'], { mutates: true });
    const target = repo.branch ? `origin/${repo.branch}` : 'origin/HEAD';
    await this.shell.run(['git', '-C', dir, 'reset', '--quiet', '--hard', target], { mutates: true });
    await this.shell.run(['git', '-C', dir, 'clean', '-q', '-f', '-d', '-x'], { mutates: true });
    return dir;
  }
}
