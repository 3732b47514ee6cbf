import { CommandFailedError, type CommandResult } from '../errors/errors.js';
import type { ChangeRecorder } from '../journal/change-recorder.js';
import type { Logger } from '../log/logger.js';

export interface RunOptions {
  cwd?: string;
  input?: string | Buffer;
  /** Extra environment; the parent environment is kept. */
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
  /** Prefix `sudo -n` when not running as root. */
  sudo?: boolean;
  /** The command changes the system: in dry-run it is logged, recorded and not executed. */
  mutates?: boolean;
  /** Return a failed result instead of throwing CommandFailedError. */
  allowFailure?: boolean;
}

const GRACE_MS = 2_000;

/**
 * Runs external programs from argv arrays — never a shell string. stdout and stderr are kept
 * separate and whole; a timeout kills the whole process group.
 */
export class Shell {
  constructor(
    private readonly options: {
      dryRun: boolean;
      defaultTimeoutMs: number;
      recorder?: ChangeRecorder;
      logger?: Logger;
    },
  ) {}

  async run(argv: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
    if (argv.length === 0 || !argv[0]) throw new TypeError('Shell.run needs a program name');
    const full = options.sudo && process.getuid?.() !== 0 ? ['sudo', '-n', ...argv] : [...argv];
    const logger = this.options.logger;
    if (options.mutates && this.options.dryRun) {
      const result: CommandResult = {
        argv: full,
        cwd: options.cwd,
        stdout: '',
        stderr: '',
        exitCode: 0,
        signal: undefined,
        durationMs: 0,
        timedOut: false,
        failed: false,
        skipped: true,
      };
      logger?.info({ argv: full }, `dry-run: would run ${full.join(' ')}`);
      this.options.recorder?.recordCommand(result);
      return result;
    }
    const { execa } = await import('execa');
    const timeoutMs = options.timeoutMs ?? this.options.defaultTimeoutMs;
    const started = performance.now();
    const child = execa(full[0], full.slice(1), {
      cwd: options.cwd,
      input: options.input,
      env: options.env,
      reject: false,
      stripFinalNewline: false,
      detached: true,
      stdin: options.input === undefined ? 'ignore' : 'pipe',
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
    let timedOut = false;
    const killGroup = (signal: NodeJS.Signals) => {
      try {
        if (child.pid) process.kill(-child.pid, signal);
      } catch {
        // the group is already gone
      }
    };
    let forceTimer: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup('SIGTERM');
      forceTimer = setTimeout(() => killGroup('SIGKILL'), GRACE_MS);
    }, timeoutMs);
    const outcome = await child;
    clearTimeout(timer);
    if (forceTimer) clearTimeout(forceTimer);
    if (timedOut) killGroup('SIGKILL');
    const spawnFailed = outcome.exitCode === undefined && !outcome.signal;
    const result: CommandResult = {
      argv: full,
      cwd: options.cwd,
      stdout: String(outcome.stdout ?? ''),
      stderr: spawnFailed
        ? String(outcome.stderr || outcome.shortMessage || '')
        : String(outcome.stderr ?? ''),
      exitCode: outcome.exitCode,
      signal: outcome.signal,
      durationMs: Math.round(performance.now() - started),
      timedOut,
      failed: timedOut || outcome.exitCode !== 0,
      skipped: false,
    };
    this.options.recorder?.recordCommand(result);
    logger?.debug({ argv: full, exitCode: result.exitCode, durationMs: result.durationMs }, `ran ${full[0]}`);
    if (result.failed && !options.allowFailure) throw new CommandFailedError(result);
    return result;
  }
}
