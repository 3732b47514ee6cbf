import { type GitService, type RepositorySpec, UnavailableError } from '@ffphoton/core';

export interface CheckoutResult {
  dir: string;
  action: 'cloned' | 'pulled' | 'unchanged' | 'local';
  head?: string;
}

/**
 * Clone-or-pull of a read-only mirror (icvpn-meta, the tinc repository) through core's git
 * service (photon's ssh settings, network timeout, fast-forward only; skipped in --dry-run).
 * Without a remote the directory is used as it is.
 */
export class GitCheckout {
  constructor(private readonly git: GitService) {}

  async update(spec: RepositorySpec): Promise<CheckoutResult> {
    if (!spec.remote) return { dir: spec.dir, action: 'local' };
    const { repo, cloned } = await this.git.ensureClone(spec.remote, spec.dir, { branch: spec.branch });
    // Only in --dry-run, which clones nothing: there is no data to generate from.
    if (!repo) throw new UnavailableError(`${spec.dir} is not cloned yet; run once without --dry-run`);
    if (cloned) return { dir: spec.dir, action: 'cloned', head: await repo.head() };
    const pulled = await repo.pull();
    return { dir: spec.dir, action: pulled.moved ? 'pulled' : 'unchanged', head: pulled.after };
  }
}
