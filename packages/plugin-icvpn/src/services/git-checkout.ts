import type { FileStore, Logger, Shell } from '@ffphoton/core';

export interface RepositorySpec {
  remote?: string;
  dir: string;
  branch?: string;
}

export interface CheckoutResult {
  dir: string;
  action: 'cloned' | 'pulled' | 'unchanged' | 'local';
  head?: string;
}

/**
 * Clone-or-pull of a read-only mirror (icvpn-meta, the tinc repository) through `git`.
 * Core's Git service was not there yet when this plugin was written; this is the small
 * subset it needs. Clone and pull are mutations: skipped in --dry-run.
 */
export class GitCheckout {
  constructor(
    private readonly shell: Shell,
    private readonly files: FileStore,
    private readonly logger?: Logger,
  ) {}

  async update(spec: RepositorySpec): Promise<CheckoutResult> {
    const dir = this.files.resolve(spec.dir);
    if (!spec.remote) return { dir: spec.dir, action: 'local' };
    if (!(await this.files.exists(`${spec.dir}/.git`))) {
      const branch = spec.branch ? ['--branch', spec.branch] : [];
      await this.shell.run(['git', 'clone', '--quiet', ...branch, '--', spec.remote, dir], { mutates: true });
      this.logger?.info({ dir: spec.dir }, `cloned ${spec.remote}`);
      return { dir: spec.dir, action: 'cloned', head: await this.head(dir) };
    }
    const before = await this.head(dir);
    const ref = spec.branch ? ['origin', spec.branch] : [];
    await this.shell.run(['git', '-C', dir, 'pull', '--quiet', '--ff-only', ...ref], { mutates: true });
    const after = await this.head(dir);
    return { dir: spec.dir, action: before === after ? 'unchanged' : 'pulled', head: after };
  }

  private async head(dir: string): Promise<string | undefined> {
    const result = await this.shell.run(['git', '-C', dir, 'rev-parse', 'HEAD'], { allowFailure: true });
    return result.failed ? undefined : result.stdout.trim();
  }
}
