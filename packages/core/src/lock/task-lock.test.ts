import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
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

  it('is one lock for two spellings of one lock directory (a symlink)', async () => {
    const file = lockFile();
    mkdirSync(path.dirname(file), { recursive: true });
    const link = path.join(path.dirname(path.dirname(file)), 'locks-link');
    symlinkSync(path.dirname(file), link);
    const first = new TaskLock(file, 't');
    await first.acquire();
    await expect(new TaskLock(path.join(link, 'fastd-limit.lock'), 't').acquire()).rejects.toBeInstanceOf(
      LockedError,
    );
    await first.release();
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
    // It polls (at most every 200 ms and a bit), it does not sleep out the whole wait.
    expect(Date.now() - started).toBeLessThan(2_500);
    await second.release();
  });

  it('a task name too long for a socket name is hashed; each long name is its own lock', async () => {
    const file = lockFile();
    const long = (c: string) => new TaskLock(file, c.repeat(120));
    const [a, b] = [long('a'), long('b')];
    expect(a.name).toMatch(/^photon-lock\/[0-9a-f]{64}\/#[0-9a-f]{29}$/);
    expect(a.name).toHaveLength(107);
    expect(a.name).not.toBe(b.name);
    expect(a.name.split('/')[1]).toBe(b.name.split('/')[1]);
    // The longest name that still fits is used as it is.
    const fits = 'x'.repeat(107 - 'photon-lock/'.length - 64 - 1);
    expect(new TaskLock(file, fits).name).toBe(`photon-lock/${a.name.split('/')[1]}/${fits}`);
    expect(new TaskLock(file, `${fits}y`).name).toMatch(/\/#[0-9a-f]{29}$/);
    await a.acquire();
    await b.acquire();
    await expect(long('a').acquire()).rejects.toBeInstanceOf(LockedError);
    await Promise.all([a.release(), b.release()]);
  });

  it('says whether it is held; releasing twice is harmless', async () => {
    const lock = new TaskLock(lockFile(), 't');
    expect(lock.held).toBe(false);
    await lock.acquire();
    expect(lock.held).toBe(true);
    await lock.release();
    await lock.release();
    expect(lock.held).toBe(false);
  });

  it('a holder that does not tell its pid is named without one', async () => {
    const file = lockFile();
    const lock = new TaskLock(file, 't');
    for (const answer of ['', 'abc', '0']) {
      // A foreign process holding the name that answers nothing useful (or nothing at all).
      const holder = spawn(process.execPath, [
        '-e',
        `require('net').createServer((s) => { if (process.argv[2]) s.end(process.argv[2]); }).listen({ path: '\\0' + process.argv[1] }, () => console.log('held'))`,
        lock.name,
        answer,
      ]);
      try {
        await new Promise((resolve) => holder.stdout.once('data', resolve));
        const refused = (await lock.acquire().catch((e: unknown) => e)) as LockedError;
        expect([refused.holderPid, refused.message]).toEqual([undefined, 'task t is already running']);
      } finally {
        holder.kill('SIGKILL');
        await new Promise((resolve) => holder.on('exit', resolve));
      }
    }
  });

  it("removes only the old implementation's lock file and its temps, nothing else of the directory", async () => {
    const file = lockFile();
    const dir = path.dirname(file);
    mkdirSync(dir, { recursive: true });
    for (const name of [
      'fastd-limit.lock',
      'fastd-limit.lock.1.tmp',
      'fastd-limit.lockfile',
      'other.lock',
      'fastd-limit',
    ])
      writeFileSync(path.join(dir, name), '');
    const lock = new TaskLock(file, 'fastd-limit');
    await lock.acquire();
    expect(readdirSync(dir).sort()).toEqual(['fastd-limit', 'fastd-limit.lockfile', 'other.lock']);
    await lock.release();
  });
});
