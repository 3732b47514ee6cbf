import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LockedError } from '../errors/errors.js';
import { TaskLock } from './task-lock.js';

const lockFile = () =>
  path.join(mkdtempSync(path.join(os.tmpdir(), 'photon-lock-')), 'locks', 'fastd-limit.lock');

describe('TaskLock', () => {
  it('refuses a second holder while the first is alive (exit 75), and frees on release', async () => {
    const file = lockFile();
    const first = new TaskLock(file, 'fastd-limit');
    await first.acquire();
    // Same pid is alive: a second lock object must not get it.
    const error = await new TaskLock(file, 'fastd-limit').acquire().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LockedError);
    expect((error as LockedError).exitCode).toBe(75);
    await first.release();
    expect(existsSync(file)).toBe(false);
    const again = new TaskLock(file, 'fastd-limit');
    await again.acquire();
    await again.release();
  });

  it('takes over a lock whose holder is dead', async () => {
    const file = lockFile();
    const child = spawn(process.execPath, ['-e', '0']);
    const deadPid = child.pid as number;
    await new Promise((resolve) => child.on('exit', resolve));
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify({ pid: deadPid }));
    const lock = new TaskLock(file, 't');
    await expect(lock.acquire()).resolves.toBeUndefined();
    await lock.release();
  });

  it('waits for the holder with waitSeconds', async () => {
    const file = lockFile();
    const first = new TaskLock(file, 't');
    await first.acquire();
    setTimeout(() => void first.release(), 300);
    const started = Date.now();
    const second = new TaskLock(file, 't');
    await second.acquire({ waitSeconds: 5, pollMs: 50 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    await second.release();
  });
});
