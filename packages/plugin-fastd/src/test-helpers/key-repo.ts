import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** A bare "origin" key repository plus a work tree to commit peer files into. */
export class KeyRepo {
  readonly origin: string;
  private readonly work: string;

  constructor(dir: string) {
    this.origin = path.join(dir, 'keys-origin.git');
    this.work = path.join(dir, 'keys-work');
    execFileSync('git', ['init', '-q', '--bare', '-b', 'main', this.origin]);
    mkdirSync(this.work);
    this.git('init', '-q', '-b', 'main');
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
      else writeFileSync(path.join(this.work, name), content);
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
