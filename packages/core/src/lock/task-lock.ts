import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { LockedError } from '../errors/errors.js';
import { randomHex } from '../text/random-hex.js';

export interface LockOptions {
  /** Seconds to wait for the holder to finish; 0 = fail at once. */
  waitSeconds?: number;
  pollMs?: number;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One non-blocking lock per task: a pid file created with link(2), which is atomic.
 * A lock whose holder is dead is taken over; a live holder raises LockedError.
 */
export class TaskLock {
  private held = false;

  constructor(
    readonly file: string,
    readonly task: string,
  ) {}

  async acquire(options: LockOptions = {}): Promise<void> {
    const deadline = Date.now() + (options.waitSeconds ?? 0) * 1000;
    await fsp.mkdir(path.dirname(this.file), { recursive: true });
    for (;;) {
      const holder = await this.tryAcquire();
      if (holder === undefined) {
        this.held = true;
        return;
      }
      if (Date.now() >= deadline) throw new LockedError(this.task, holder || undefined);
      await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 200));
    }
  }

  /** Returns undefined when acquired, else the holder's pid (0 if unknown). */
  private async tryAcquire(): Promise<number | undefined> {
    const temp = `${this.file}.${process.pid}.${randomHex(4)}`;
    await fsp.writeFile(
      temp,
      `${JSON.stringify({ pid: process.pid, task: this.task, since: new Date().toISOString() })}\n`,
    );
    try {
      await fsp.link(temp, this.file);
      return undefined;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      await fsp.rm(temp, { force: true });
    }
    const holder = await this.readHolder(this.file);
    if (holder !== undefined && isAlive(holder)) return holder;
    // Stale: move it aside atomically; if someone else got there first, just retry.
    const aside = `${this.file}.stale.${process.pid}`;
    try {
      await fsp.rename(this.file, aside);
    } catch {
      return 0;
    }
    const moved = await this.readHolder(aside);
    if (moved !== holder && moved !== undefined && isAlive(moved)) {
      // We moved a fresh lock another process had just taken: put it back.
      await fsp.link(aside, this.file).catch(() => undefined);
      await fsp.rm(aside, { force: true });
      return moved;
    }
    await fsp.rm(aside, { force: true });
    return this.tryAcquire();
  }

  private async readHolder(file: string): Promise<number | undefined> {
    try {
      const parsed = JSON.parse(await fsp.readFile(file, 'utf8')) as { pid?: unknown };
      return typeof parsed.pid === 'number' ? parsed.pid : undefined;
    } catch {
      return undefined;
    }
  }

  async release(): Promise<void> {
    if (!this.held) return;
    this.held = false;
    const holder = await this.readHolder(this.file);
    if (holder === process.pid) await fsp.rm(this.file, { force: true });
  }
}
