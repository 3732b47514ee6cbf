import type { GitService, RepositorySpec, UpdateResult } from '@ffphoton/core';

export interface CheckoutResult {
  dir: string;
  action: UpdateResult['action'] | 'local';
  head?: string;
}

/**
 * Clone-or-pull of icvpn-meta and the tinc repository (core's GitService.update: photon's ssh
 * settings, network timeout, fast-forward only; nothing pulled in --dry-run). Not reset like a
 * mirror: the tinc network directory is the clone and holds the generated tinc.conf. Without a
 * remote the directory is used as it is.
 */
export class GitCheckout {
  constructor(private readonly git: GitService) {}

  async update(spec: RepositorySpec): Promise<CheckoutResult> {
    if (!spec.remote) return { dir: spec.dir, action: 'local' };
    const { action, head } = await this.git.update(spec.remote, spec.dir, { branch: spec.branch });
    return { dir: spec.dir, action, head };
  }
}
