import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { FileStore } from '../../fs/file-store.js';
import { RootSandbox } from '../../fs/root-sandbox.js';
import { git, tempDir } from '../../testing/index.js';
import { GitService } from '../git-service.js';
import { gitSettings } from '../git-settings.js';

export { git, tempDir };

/** A bare repository with one commit on `main`, seeded through a throwaway clone. */
export function bareRepo(dir: string, files: Record<string, string> = { 'README.md': 'seed\n' }): string {
  const bare = path.join(dir, 'remote.git');
  git(dir, 'init', '--quiet', '--bare', '--initial-branch=main', bare);
  const seed = path.join(dir, 'seed');
  git(dir, 'clone', '--quiet', bare, seed);
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(seed, name), content);
  git(seed, 'add', '-A');
  git(seed, 'commit', '--quiet', '-m', 'seed');
  git(seed, 'push', '--quiet', 'origin', 'HEAD:main');
  return bare;
}

export function gitService(
  settings: Record<string, unknown> = {},
  options: { dryRun?: boolean; host?: string } = {},
) {
  const files = new FileStore(new RootSandbox(), { dryRun: options.dryRun ?? false });
  return new GitService(gitSettings.schema.parse(settings), files, options.host ?? 'gw01');
}
