import os from 'node:os';
import path from 'node:path';

/**
 * Expands a leading `~` to the home directory as a task path; the result still goes through
 * the `--root` sandbox (`ctx.files.resolve`), so `~` means the home inside the root.
 */
export function expandHome(p: string, home: string = process.env.HOME || os.homedir()): string {
  if (p === '~') return home;
  if (p.startsWith('~/')) return path.posix.join(home, p.slice(2));
  return p;
}
