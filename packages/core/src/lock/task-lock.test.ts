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

  it('ignores and removes a lock file of the file-based implementation naming a live pid (pid 1)', async () => {
    const file = lockFile();
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify({ pid: 1, task: 't', since: '2020-01-01T00:00:00.000Z' }));
    writeFileSync(`${file}.4242.abcd1234`, 'temp of a killed writer');
    const lock = new TaskLock(file, 't');
    await expect(lock.acquire()).resolves.toBeUndefined();
    expect(existsSync(file)).toBe(false);
    expect(existsSync(`${file}.4242.abcd1234`)).toBe(false);
    await lock.release();
  });

  it('is free the moment a SIGKILLed holder process dies', async () => {
    const file = lockFile();
    const lock = new TaskLock(file, 't');
    // A real other process binds the lock's name, as a photon run does.
    const holder = spawn(process.execPath, [
      '-e',
      `require('net').createServer().listen({ path: '\\0' + process.argv[1] }, () => console.log('held'))`,
      lock.name,
    ]);
    await new Promise((resolve) => holder.stdout.once('data', resolve));
    const refused = await lock.acquire().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(LockedError);
    holder.kill('SIGKILL');
    await new Promise((resolve) => holder.on('exit', resolve));
    await expect(lock.acquire()).resolves.toBeUndefined();
    await lock.release();
  });

  it('names the holder pid to a refused run', async () => {
    const file = lockFile();
    const first = new TaskLock(file, 't');
    await first.acquire();
    const error = (await new TaskLock(file, 't').acquire().catch((e: unknown) => e)) as LockedError;
    expect(error.holderPid).toBe(process.pid);
    expect(error.message).toContain(`pid ${process.pid}`);
    await first.release();
  });

  it('keeps locks of different lock directories and tasks apart', async () => {
    const a = new TaskLock(lockFile(), 't');
    const b = new TaskLock(lockFile(), 't');
    const c = new TaskLock(a.file.replace('fastd-limit', 'other'), 'other');
    await a.acquire();
    await b.acquire();
    await c.acquire();
    await Promise.all([a.release(), b.release(), c.release()]);
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
