import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isAlive, runTemps } from './run-temps.js';

/**
 * Runs `fn` with a fresh private directory for candidate files a validator checks
 * (named-checkzone, bird -p, ssh-keygen …) before they replace the real file. The directory is
 * outside the `--root` sandbox, never the target directory, and is always removed — also in
 * dry-run, where validating changes nothing. It is registered with `runTemps`, so a signalled
 * run removes it too; its name carries the pid, so the first scratch directory of a later run
 * removes those a killed run left.
 */
export async function withScratchDir<T>(prefix: string, fn: (dir: string) => Promise<T>): Promise<T> {
  if (!swept) {
    swept = true;
    await sweepScratchDirs(os.tmpdir());
  }
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), `photon-${prefix}-p${process.pid}-`));
  runTemps.add(dir);
  try {
    return await fn(dir);
  } finally {
    await fsp.rm(dir, { recursive: true, force: true });
    runTemps.delete(dir);
  }
}

const SCRATCH = /^photon-[a-z0-9-]+-p(\d+)-[A-Za-z0-9]{6}$/;
/** Whether this process has swept the temp directory yet (once is enough). */
let swept = false;

/** Removes scratch directories under `tmp` whose run is gone (its pid not alive). */
export async function sweepScratchDirs(tmp: string): Promise<void> {
  for (const name of await fsp.readdir(tmp).catch(() => [] as string[])) {
    const pid = SCRATCH.exec(name)?.[1];
    if (pid !== undefined && !isAlive(Number(pid)))
      await fsp.rm(path.join(tmp, name), { recursive: true, force: true }).catch(() => undefined);
  }
}
