import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runTemps } from './run-temps.js';

/**
 * Runs `fn` with a fresh private directory for candidate files a validator checks
 * (named-checkzone, bird -p, ssh-keygen …) before they replace the real file. The directory is
 * outside the `--root` sandbox, never the target directory, and is always removed — also in
 * dry-run, where validating changes nothing. It is registered with `runTemps`, so a signalled
 * run removes it too.
 */
export async function withScratchDir<T>(prefix: string, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), `photon-${prefix}-`));
  runTemps.add(dir);
  try {
    return await fn(dir);
  } finally {
    await fsp.rm(dir, { recursive: true, force: true });
    runTemps.delete(dir);
  }
}
