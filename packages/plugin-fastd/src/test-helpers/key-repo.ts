import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** A bare "origin" key repository plus a work tree to commit peer files into. */
export class KeyRepo {
  readonly origin: string;
  private readonly work: string;

  /** `name` tells several repositories in one directory apart; `objectFormat` sha256 makes a SHA-256 repository. */
  constructor(dir: string, options: { name?: string; objectFormat?: 'sha1' | 'sha256' } = {}) {
    const name = options.name ?? 'keys';
    const format = `--object-format=${options.objectFormat ?? 'sha1'}`;
    this.origin = path.join(dir, `${name}-origin.git`);
    this.work = path.join(dir, `${name}-work`);
    execFileSync('git', ['init', '-q', '--bare', format, '-b', 'main', this.origin]);
    mkdirSync(this.work);
    this.git('init', '-q', format, '-b', 'main');
    this.git('remote', 'add', 'origin', this.origin);
  }

  private git(...args: string[]): void {
    execFileSync(
      'git',
      ['-c', 'user.name=test', '-c', 'user.email=test@example.org', '-C', this.work, ...args],
      {
        stdio: 'pipe',
      },
    );
  }

  /** Writes (string) or deletes (null) files, commits and pushes; `rewrite` amends the last commit and force-pushes. */
  commit(files: Record<string, string | null>, options: { rewrite?: boolean } = {}): void {
    for (const [name, content] of Object.entries(files)) {
      if (content === null) rmSync(path.join(this.work, name));
      else {
        mkdirSync(path.dirname(path.join(this.work, name)), { recursive: true });
        writeFileSync(path.join(this.work, name), content);
      }
    }
    this.git('add', '-A');
    this.git('commit', '-q', ...(options.rewrite ? ['--amend'] : []), '-m', 'keys');
    this.git('push', '-q', ...(options.rewrite ? ['--force'] : []), 'origin', 'main');
  }

  /** The remote loses its last commit: `git reset --hard HEAD~1 && git push -f`. */
  rewind(): void {
    this.git('reset', '-q', '--hard', 'HEAD~1');
    this.git('push', '-q', '--force', 'origin', 'main');
  }
}
