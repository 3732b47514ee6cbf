import { ConfigError, UnavailableError } from '../errors/errors.js';
import type { FileStore } from '../fs/file-store.js';
import type { Shell } from '../shell/shell.js';

export interface SignalResult {
  pidfile: string;
  pid: number;
  signal: NodeJS.Signals;
  /** False in --dry-run. */
  sent: boolean;
}

/**
 * Successor of Photon's Signal: tells a daemon (bird, named, fastd …) to reload or stop through
 * its pidfile. Any signal (Photon had no TERM or CONT), sudo only when asked, and a stale or
 * garbage pidfile is a typed error naming the file instead of a teardown. The signal goes through
 * `kill` in the Shell, so --dry-run only logs it and the journal records it.
 */
export class DaemonSignal {
  constructor(
    private readonly files: FileStore,
    private readonly shell: Shell,
  ) {}

  /** The pid in `pidfile` (a task path, inside --root); ConfigError when missing or not a pid. */
  async pid(pidfile: string): Promise<number> {
    const text = await this.files.readTextIfExists(pidfile);
    if (text === undefined) throw new UnavailableError(`${pidfile}: no pidfile (is the daemon running?)`);
    const pid = Number(text.trim());
    if (!/^\d+$/.test(text.trim()) || pid < 2) {
      throw new ConfigError(`not a process id: ${JSON.stringify(text.trim().slice(0, 40))}`, {
        file: pidfile,
      });
    }
    return pid;
  }

  /** Sends `signal` to the daemon of `pidfile`; UnavailableError (69) when that process is gone. */
  async send(pidfile: string, signal: NodeJS.Signals, { sudo = false } = {}): Promise<SignalResult> {
    const pid = await this.pid(pidfile);
    if (!sudo && !isAlive(pid))
      throw new UnavailableError(`${pidfile}: process ${pid} is not running (stale pidfile)`);
    const result = await this.shell.run(['kill', `-${signal.replace(/^SIG/, '')}`, String(pid)], {
      mutates: true,
      sudo,
      allowFailure: true,
    });
    if (result.failed) {
      throw new UnavailableError(
        `${pidfile}: kill -${signal} ${pid} failed: ${result.stderr.trim() || `exit ${result.exitCode}`}`,
      );
    }
    return { pidfile, pid, signal, sent: !result.skipped };
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, owned by someone else (sudo would be needed to signal it).
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
