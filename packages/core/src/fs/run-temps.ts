import { promises as fsp, rmSync } from 'node:fs';
import path from 'node:path';
import { randomHex } from '../text/random-hex.js';

/**
 * Every temp file and directory the current run has created and not yet renamed or removed.
 * One registry per process (a process runs one task): a failed or signalled run removes what is
 * left, so no temp outlives its run.
 */
class RunTemps {
  private readonly paths = new Set<string>();

  add(p: string): void {
    this.paths.add(p);
  }

  /** The temp became the real file (renamed) or was removed by its owner. */
  delete(p: string): void {
    this.paths.delete(p);
  }

  get size(): number {
    return this.paths.size;
  }

  /** Removes every temp still registered; synchronous so it also works on the way out. */
  removeAll(): void {
    for (const p of this.paths) rmSync(p, { recursive: true, force: true });
    this.paths.clear();
  }
}

export const runTemps = new RunTemps();

/**
 * Name of a temp file of ours: `.<name>.p<pid>.<hex>.tmp` beside the target, so a later run can
 * tell whether its writer still lives.
 */
export function tempName(target: string, hex: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.p${process.pid}.${hex}.tmp`);
}

/**
 * A temp older than this is stale even if a process with its writer's pid lives (pid reuse):
 * no run writes one file for an hour.
 */
export const STALE_TEMP_MS = 60 * 60 * 1000;

/**
 * Writes `text` to `file` through a registered temp beside it and a rename: readers see the old
 * or the new file, never a half-written one, and a failed write (a full disk) leaves no temp.
 */
export async function writeTextAtomic(file: string, text: string): Promise<void> {
  const temp = tempName(file, randomHex(4));
  runTemps.add(temp);
  try {
    await fsp.writeFile(temp, text);
    await fsp.rename(temp, file);
  } catch (error) {
    // The write's error is the one to report: removing a temp under a path that is no directory
    // fails too (ENOTDIR). One left behind is swept by a later run.
    await fsp.rm(temp, { force: true }).catch(() => undefined);
    throw error;
  } finally {
    runTemps.delete(temp);
  }
}

/** Ours with the writer's pid; the previous implementation's (`.<name>.<12 hex>.tmp`, no pid). */
const OWN_TEMP = /^\..+\.p(\d+)\.[0-9a-f]+\.tmp$/;
const LEGACY_TEMP = /^\..+\.[0-9a-f]{12}\.tmp$/;

/** Whether a process with this pid exists (EPERM: it does, as another user's). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes temp files of our naming pattern in `dir` whose writer is gone: its pid is not alive,
 * or the file is older than `maxAgeMs` (a live pid that old is a reused one; no run lasts that
 * long). Returns the names removed.
 */
export async function sweepStaleTemps(dir: string, maxAgeMs: number, now = Date.now()): Promise<string[]> {
  const names = await fsp.readdir(dir).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    if (!name.endsWith('.tmp')) continue;
    const own = OWN_TEMP.exec(name);
    if (!own && !LEGACY_TEMP.test(name)) continue;
    const file = path.join(dir, name);
    const pid = own ? Number(own[1]) : undefined;
    if (pid === process.pid) continue;
    const stat = await fsp.lstat(file).catch(() => undefined);
    if (!stat?.isFile()) continue;
    const old = now - stat.mtimeMs > maxAgeMs;
    if (!old && (pid === undefined || isAlive(pid))) continue;
    await fsp.rm(file, { force: true });
    removed.push(name);
  }
  return removed;
}
