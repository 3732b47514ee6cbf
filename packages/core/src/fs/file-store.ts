import { constants, promises as fsp } from 'node:fs';
import path from 'node:path';
import type { Clock } from '../host/clock.js';
import { formatTimestamp } from '../host/clock.js';
import type { ChangeRecorder } from '../journal/change-recorder.js';
import type { Logger } from '../log/logger.js';
import { randomHex } from '../text/random-hex.js';
import { RootSandbox } from './root-sandbox.js';
import { runTemps, STALE_TEMP_MS, sweepStaleTemps, tempName } from './run-temps.js';

export interface WriteOptions {
  /** File mode for a new file; an existing file keeps its mode and owner. */
  mode?: number;
  /** Keep the previous content as `<name>_backup_<timestamp>` (Photon's naming). */
  backup?: boolean;
}

export interface WriteResult {
  path: string;
  changed: boolean;
  backup?: string;
}

/**
 * All file access of a task: paths go through the `--root` sandbox, writes are atomic
 * (temp file in the same directory, fsync, rename) and honour `--dry-run`. Temp files are
 * registered with `runTemps` until renamed (a failed or signalled run removes them), and the
 * first write into a directory sweeps temps that killed runs left there.
 */
export class FileStore {
  private readonly swept = new Set<string>();

  constructor(
    readonly sandbox: RootSandbox,
    private readonly options: {
      dryRun: boolean;
      recorder?: ChangeRecorder;
      logger?: Logger;
      clock?: Clock;
      /** Aborted when the run is interrupted: no file is replaced after that. */
      signal?: AbortSignal;
    } = { dryRun: false },
  ) {}

  get dryRun(): boolean {
    return this.options.dryRun;
  }

  /** Host path of a task path (see RootSandbox.resolve). */
  resolve(p: string): string {
    return this.sandbox.resolve(p);
  }

  async readText(p: string): Promise<string> {
    return fsp.readFile(this.resolve(p), 'utf8');
  }

  /** The file's text, or undefined when it does not exist. */
  async readTextIfExists(p: string): Promise<string | undefined> {
    try {
      return await this.readText(p);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async exists(p: string): Promise<boolean> {
    try {
      await fsp.access(this.resolve(p), constants.F_OK);
      return true;
    } catch {
      return false;
    }
  }

  async list(dir: string): Promise<string[]> {
    try {
      return (await fsp.readdir(this.resolve(dir))).sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }

  async mkdir(dir: string): Promise<void> {
    if (this.dryRun) return;
    await fsp.mkdir(this.resolve(dir), { recursive: true });
  }

  /** Writes only when the content differs; returns whether it did (or would, in dry-run). */
  async writeIfChanged(
    p: string,
    content: string | Buffer,
    options: WriteOptions = {},
  ): Promise<WriteResult> {
    const target = this.resolve(p);
    const current = await fsp.readFile(target).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    const next = typeof content === 'string' ? Buffer.from(content) : content;
    if (current?.equals(next)) return { path: p, changed: false };
    return this.writeAtomic(p, next, options, current === undefined ? 'create' : 'update');
  }

  /** Atomic write: temp file beside the target, fsync, rename; mode and owner preserved. */
  async writeAtomic(
    p: string,
    content: string | Buffer,
    options: WriteOptions = {},
    action: 'create' | 'update' = 'update',
  ): Promise<WriteResult> {
    const target = this.resolve(p);
    this.options.recorder?.recordFile({ path: p, action, dryRun: this.dryRun });
    if (this.dryRun) {
      this.options.logger?.info({ path: p, action }, `dry-run: would ${action} ${p}`);
      return { path: p, changed: true };
    }
    this.options.signal?.throwIfAborted();
    await fsp.mkdir(path.dirname(target), { recursive: true });
    await this.sweep(path.dirname(target));
    const existing = await fsp.stat(target).catch(() => undefined);
    let backup: string | undefined;
    if (options.backup && existing) backup = await this.backup(p);
    const temp = tempName(target, randomHex(6));
    runTemps.add(temp);
    try {
      const handle = await fsp.open(temp, 'wx', existing ? existing.mode & 0o7777 : (options.mode ?? 0o644));
      try {
        await handle.writeFile(content);
        if (existing) {
          await handle.chmod(existing.mode & 0o7777);
          await handle.chown(existing.uid, existing.gid).catch(() => undefined);
        } else if (options.mode !== undefined) {
          await handle.chmod(options.mode);
        }
        await handle.sync();
      } finally {
        await handle.close();
      }
      this.options.signal?.throwIfAborted();
      await fsp.rename(temp, target);
    } catch (error) {
      // The write's error is the one to report; a temp that cannot be removed is swept later.
      await fsp.rm(temp, { force: true }).catch(() => undefined);
      throw error;
    } finally {
      runTemps.delete(temp);
    }
    return { path: p, changed: true, backup };
  }

  /** Once per directory and run: temps of killed writers go (see sweepStaleTemps). */
  private async sweep(dir: string): Promise<void> {
    if (this.swept.has(dir)) return;
    this.swept.add(dir);
    const removed = await sweepStaleTemps(dir, STALE_TEMP_MS);
    if (removed.length > 0)
      this.options.logger?.info(
        { dir, removed: removed.length },
        `removed ${removed.length} stale temp file(s)`,
      );
  }

  /** Copies a file to `<name>_backup_<timestamp>` beside it; returns the backup's task path. */
  async backup(p: string): Promise<string> {
    const stamp = formatTimestamp(this.options.clock?.now() ?? new Date());
    const backup = `${p}_backup_${stamp}`;
    if (!this.dryRun) await fsp.copyFile(this.resolve(p), this.resolve(backup));
    return backup;
  }

  async remove(p: string): Promise<boolean> {
    if (!(await this.exists(p))) return false;
    this.options.recorder?.recordFile({ path: p, action: 'delete', dryRun: this.dryRun });
    if (this.dryRun) {
      this.options.logger?.info({ path: p }, `dry-run: would delete ${p}`);
      return true;
    }
    await this.sweep(path.dirname(this.resolve(p)));
    await fsp.rm(this.resolve(p), { force: true });
    return true;
  }

  /**
   * Copies a file inside the sandbox: atomically (through writeIfChanged: temp file, fsync,
   * rename), keeping an existing target's mode or else the source's; a backup of the replaced
   * target on request. Unchanged content writes nothing.
   */
  async copy(from: string, to: string, options: { backup?: boolean } = {}): Promise<WriteResult> {
    const source = this.resolve(from);
    const content = await fsp.readFile(source);
    const { mode } = await fsp.stat(source);
    const replacing = await this.exists(to);
    return this.writeIfChanged(to, content, { mode: mode & 0o7777, backup: options.backup && replacing });
  }

  /**
   * Moves a file inside the sandbox: rename(2), atomic on one filesystem; across filesystems an
   * atomic copy, then the source is removed. The target's directory is created.
   */
  async move(from: string, to: string, options: { backup?: boolean } = {}): Promise<WriteResult> {
    const source = this.resolve(from);
    const target = this.resolve(to);
    await fsp.access(source);
    const replacing = await this.exists(to);
    this.options.recorder?.recordFile({
      path: to,
      action: replacing ? 'update' : 'create',
      dryRun: this.dryRun,
    });
    this.options.recorder?.recordFile({ path: from, action: 'delete', dryRun: this.dryRun });
    if (this.dryRun) {
      this.options.logger?.info({ from, to }, `dry-run: would move ${from} to ${to}`);
      return { path: to, changed: true };
    }
    const backup = options.backup && replacing ? await this.backup(to) : undefined;
    await fsp.mkdir(path.dirname(target), { recursive: true });
    try {
      await fsp.rename(source, target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
      await this.copy(from, to);
      await fsp.rm(source, { force: true });
    }
    return { path: to, changed: true, ...(backup ? { backup } : {}) };
  }
}
