import { promises as fsp, realpathSync } from 'node:fs';
import type { Server } from 'node:net';
import path from 'node:path';
import { LockedError } from '../errors/errors.js';

export interface LockOptions {
  /** Seconds to wait for the holder to finish; 0 = fail at once. */
  waitSeconds?: number;
  /** First pause between attempts while waiting; it doubles up to 200 ms. */
  pollMs?: number;
}

/**
 * Longest pause between attempts of a waiting run: a bind attempt is one cheap system call, and
 * a longer pause leaves the lock idle after its holder ends while 40 runs wait.
 */
const MAX_PAUSE_MS = 200;

/** Longest abstract socket name Linux accepts (sun_path is 108 bytes, the leading NUL included). */
const MAX_NAME = 107;

/**
 * One lock per task and lock directory: an abstract Unix socket bound by the holder. The kernel
 * frees the name the moment the holder's process ends, however it ends (kill -9 included), so
 * there are no stale locks, no pid reuse and no takeover race: binding is atomic, EADDRINUSE
 * means held. Its limit: abstract sockets belong to a network namespace, so runs in different
 * namespaces (containers) do not see each other's locks.
 *
 * `file` is the task's lock file of the previous, file-based implementation
 * (`<lockDir>/<task>.lock`): its directory names the lock, and such a file (and its temp files)
 * is ignored and removed once the lock is held.
 */
export class TaskLock {
  private server: Server | undefined;

  constructor(
    readonly file: string,
    readonly task: string,
  ) {}

  /**
   * The abstract socket name (without the leading NUL). The lock directory counts by its real
   * path, so two spellings of one directory (a symlink) name one lock, as one lock file did.
   */
  get name(): string {
    const lockDir = path.resolve(path.dirname(this.file));
    let real = lockDir;
    try {
      real = realpathSync(lockDir);
    } catch {
      // not there (yet): its spelling is all there is
    }
    // Loaded here, not at start-up: most runs need no crypto at all.
    const { createHash } = process.getBuiltinModule('node:crypto');
    const dir = createHash('sha256').update(real).digest('hex');
    const name = `photon-lock/${dir}/${this.task}`;
    if (name.length <= MAX_NAME) return name;
    // As much of the task's hash as fits: the kernel would cut a longer name to MAX_NAME anyway.
    return `photon-lock/${dir}/#${createHash('sha256').update(this.task).digest('hex')}`.slice(0, MAX_NAME);
  }

  async acquire(options: LockOptions = {}): Promise<void> {
    const deadline = Date.now() + (options.waitSeconds ?? 0) * 1000;
    let pause = options.pollMs ?? 50;
    // The directory exists before the name is taken from its real path: every run names it alike.
    await fsp.mkdir(path.dirname(this.file), { recursive: true });
    for (;;) {
      const server = await this.tryBind();
      if (server) {
        this.server = server;
        await this.removeLegacyFiles();
        return;
      }
      if (Date.now() >= deadline) throw new LockedError(this.task, await this.holderPid());
      // Jitter spreads many waiters over the moment the holder ends.
      const sleep = Math.min(pause * (0.5 + Math.random()), deadline - Date.now());
      await new Promise((resolve) => setTimeout(resolve, Math.max(1, sleep)));
      pause = Math.min(pause * 2, MAX_PAUSE_MS);
    }
  }

  /** Whether this object holds the lock. */
  get held(): boolean {
    return this.server !== undefined;
  }

  private tryBind(): Promise<Server | undefined> {
    // Loaded only when a lock is taken: read-only commands never pay for net.
    const net = process.getBuiltinModule('node:net');
    return new Promise((resolve, reject) => {
      // A connecting waiter learns the holder's pid (for the "already running" message).
      const server = net.createServer((socket) => {
        socket.on('error', () => {});
        socket.end(String(process.pid));
      });
      server.once('error', (error: NodeJS.ErrnoException) => {
        if (error.code === 'EADDRINUSE') resolve(undefined);
        else reject(error);
      });
      server.listen({ path: `\0${this.name}` }, () => {
        // The lock must not keep the process alive; the kernel frees it when the process ends.
        server.unref();
        resolve(server);
      });
    });
  }

  /** The holder's pid as it tells a connecting waiter; undefined when it does not answer in time. */
  private holderPid(): Promise<number | undefined> {
    const net = process.getBuiltinModule('node:net');
    return new Promise((resolve) => {
      let text = '';
      const socket = net.connect({ path: `\0${this.name}` });
      const done = () => {
        socket.destroy();
        const pid = Number.parseInt(text, 10);
        resolve(Number.isSafeInteger(pid) && pid > 0 ? pid : undefined);
      };
      socket.setTimeout(500, done);
      socket.on('data', (chunk) => {
        text += chunk.toString();
      });
      socket.on('end', done);
      socket.on('error', done);
    });
  }

  /** The previous implementation's lock file and its temp/aside files: meaningless now. */
  private async removeLegacyFiles(): Promise<void> {
    const dir = path.dirname(this.file);
    const base = path.basename(this.file);
    const names = await fsp.readdir(dir).catch(() => [] as string[]);
    await Promise.all(
      names
        .filter((name) => name === base || name.startsWith(`${base}.`))
        .map((name) => fsp.rm(path.join(dir, name), { force: true }).catch(() => undefined)),
    );
  }

  async release(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
