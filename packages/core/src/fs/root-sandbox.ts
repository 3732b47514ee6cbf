import { realpathSync } from 'node:fs';
import path from 'node:path';
import { SandboxError } from '../errors/errors.js';

/**
 * The `--root DIR` sandbox: every absolute path a task touches is resolved under DIR,
 * so tests and the demo never touch the host. A path that would leave DIR — through
 * `..` or a symlink pointing outside — is refused. Without a root, paths pass through.
 */
export class RootSandbox {
  readonly root: string | undefined;
  private readonly realRoot: string | undefined;

  constructor(root?: string) {
    if (root === undefined) return;
    this.root = path.resolve(root);
    try {
      this.realRoot = realpathSync(this.root);
    } catch {
      throw new SandboxError(`--root ${root}: directory does not exist`);
    }
  }

  /** Host path for a path as written in settings (absolute, or relative to `/` inside the sandbox). */
  resolve(p: string): string {
    if (!this.root || !this.realRoot) return path.resolve(p);
    if (p.includes('\0')) throw new SandboxError(`path contains a NUL byte: ${JSON.stringify(p)}`);
    const segments = p.split('/');
    let depth = 0;
    for (const segment of segments) {
      if (segment === '..') depth -= 1;
      else if (segment !== '' && segment !== '.') depth += 1;
      if (depth < 0) throw new SandboxError(`path ${p} escapes the --root sandbox ${this.root}`);
    }
    // Paths already inside the root (e.g. handed back by an earlier resolve) are kept as they are.
    // With the root `/` every other path is joined to it too: a relative one is relative to `/`.
    const inside = p === this.root || p.startsWith(`${this.root}/`);
    const joined = inside ? path.normalize(p) : path.join(this.root, path.posix.normalize(`/${p}`));
    this.assertNoSymlinkEscape(joined, p);
    return joined;
  }

  /** The path as the task sees it (inverse of `resolve`), for messages and journals. */
  display(hostPath: string): string {
    if (!this.root) return hostPath;
    if (hostPath === this.root) return '/';
    return hostPath.startsWith(`${this.root}/`) ? hostPath.slice(this.root.length) : hostPath;
  }

  private assertNoSymlinkEscape(joined: string, original: string): void {
    // realpath of the deepest existing ancestor must stay inside the real root.
    let probe = joined;
    for (;;) {
      try {
        const real = realpathSync(probe);
        const inside =
          this.realRoot === '/' || real === this.realRoot || real.startsWith(`${this.realRoot}/`);
        if (!inside) {
          throw new SandboxError(`path ${original} leaves the --root sandbox through a symlink (${real})`);
        }
        return;
      } catch (error) {
        if (error instanceof SandboxError) throw error;
        const parent = path.dirname(probe);
        if (parent === probe) return;
        probe = parent;
      }
    }
  }
}
