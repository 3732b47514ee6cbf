import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Every fastd testbed directory names the vitest run that owns it (`.owner`, the main process's pid).
 * The daemons it starts daemonise (fastd --daemon: a session of their own), so neither a process
 * group nor afterAll reaches them when a run is cut short; the global setup's teardown, and the next
 * run's setup for runs that died, kill every process started from a bed's directory and remove it.
 */
export const BED_PREFIX = 'photon-fastd-';
const OWNER_ENV = 'PHOTON_FASTD_TEST_OWNER';

export function markOwner(bedDir: string): void {
  writeFileSync(path.join(bedDir, '.owner'), process.env[OWNER_ENV] ?? String(process.pid));
}

/** Whether `pid` runs; a zombie does not (in a container whose init does not reap, killed daemons stay zombies). */
export function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** The pids of processes whose command line names a path in `dir` (fastd -c <dir>/…, restart.sh). */
function processesIn(dir: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').includes(`${dir}/`)) pids.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** SIGTERM, up to a second's grace, then SIGKILL for every process started from `dir`. */
export async function killProcessesIn(dir: string): Promise<number> {
  const pids = processesIn(dir);
  for (const pid of pids) signal(pid, 'SIGTERM');
  for (let waited = 0; waited < 1_000 && pids.some(alive); waited += 50)
    await new Promise((resolve) => setTimeout(resolve, 50));
  for (const pid of pids.filter(alive)) signal(pid, 'SIGKILL');
  return pids.length;
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

/** Kills the daemons of and removes the beds `owned(owner)` selects; returns how many processes were killed. */
export async function reapBeds(owned: (owner: number) => boolean): Promise<number> {
  let killed = 0;
  for (const name of readdirSync(os.tmpdir())) {
    if (!name.startsWith(BED_PREFIX)) continue;
    const dir = path.join(os.tmpdir(), name);
    const ownerFile = path.join(dir, '.owner');
    if (!existsSync(ownerFile)) continue;
    const owner = Number(readFileSync(ownerFile, 'utf8'));
    if (!owned(owner)) continue;
    killed += await killProcessesIn(dir);
    rmSync(dir, { recursive: true, force: true });
  }
  return killed;
}

/** vitest globalSetup: beds of runs that died are reaped first, this run's own at teardown. */
export default async function setup(): Promise<() => Promise<void>> {
  process.env[OWNER_ENV] = String(process.pid);
  await reapBeds((owner) => !alive(owner));
  return async () => {
    await reapBeds((owner) => owner === process.pid);
  };
}
