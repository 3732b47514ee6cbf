import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { git, tempDir } from '@ffphoton/core/testing';

export { git, tempDir };

/** A bare repository on disk with one commit on `main`; `commit` adds more through a work clone. */
export class BareRepo {
  readonly bare: string;
  private readonly work: string;

  constructor(dir: string, files: Record<string, string> = { 'README.md': 'configs\n' }) {
    this.bare = path.join(dir, 'remote.git');
    this.work = path.join(dir, 'work');
    git(dir, 'init', '--quiet', '--bare', '--initial-branch=main', this.bare);
    git(dir, 'clone', '--quiet', this.bare, this.work);
    this.commit(files, 'seed', false);
  }

  commit(files: Record<string, string>, message: string, pull = true): string {
    if (pull) git(this.work, 'pull', '--quiet', '--rebase', 'origin', 'main');
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(this.work, name)), { recursive: true });
      writeFileSync(path.join(this.work, name), content);
    }
    git(this.work, 'add', '-A');
    git(this.work, 'commit', '--quiet', '-m', message);
    git(this.work, 'push', '--quiet', 'origin', 'HEAD:main');
    return this.head();
  }

  head(): string {
    return git(this.bare, 'rev-parse', 'main').trim();
  }

  log(): string[] {
    return git(this.bare, 'log', '--format=%s', 'main').trim().split('\n');
  }

  show(file: string): string {
    return git(this.bare, 'show', `main:${file}`);
  }

  files(): string[] {
    return git(this.bare, 'ls-tree', '-r', '--name-only', 'main').trim().split('\n');
  }
}

/** A fresh public key line from ssh-keygen. */
export function newPublicKey(dir: string, name: string): string {
  const file = path.join(dir, `key-${name}`);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `${name}@example.org`, '-f', file]);
  return readFileSync(`${file}.pub`, 'utf8').trim();
}
