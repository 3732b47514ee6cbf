import { constants, promises as fsp } from 'node:fs';
import path from 'node:path';

/** Where cron's minimal PATH may not look, but gateway tools (bird, alfred, rndc) live. */
const SBIN_DIRS = ['/usr/local/sbin', '/usr/sbin', '/sbin'];

/** The executable `program` resolves to (PATH, then the sbin directories), or undefined. */
export async function findProgram(
  program: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string | undefined> {
  const candidates = program.includes('/')
    ? [program]
    : [...(env.PATH ?? '').split(':').filter(Boolean), ...SBIN_DIRS].map((dir) => path.join(dir, program));
  for (const candidate of candidates) {
    try {
      await fsp.access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // next candidate
    }
  }
  return undefined;
}
