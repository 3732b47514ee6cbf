/**
 * Exit codes of every photon command, mapped in one place (`exitCodeOf`).
 * They follow sysexits(3) where one fits, so cron wrappers can tell them apart.
 */
export const ExitCode = {
  /** The task did its work (or had nothing to do). */
  Ok: 0,
  /** The task failed: a command, a download or a write went wrong. */
  Failed: 1,
  /**
   * Usage or configuration error: bad flag, bad settings file, bad `--root`. Nothing was changed:
   * such an error found after the run changed something is reported as exit 1 (FailedAfterChangesError).
   */
  Config: 2,
  /** A generated file was rejected by its validator (bird -p, named-checkconf …); the old file stays. */
  Rejected: 3,
  /** A git rebase met a real conflict; the working tree was left as it was. */
  Conflict: 4,
  /** Done, but some inputs were refused (an invalid peer file, a bad community); see the log. */
  Partial: 5,
  /** A service the task needs is not there (no socket, no gateway online). Nothing was changed. */
  Unavailable: 69,
  /** Another run of the same task holds the lock (EX_TEMPFAIL); try again later. */
  Locked: 75,
  /** Ended by SIGHUP, SIGINT or SIGTERM (128 + the signal's number), cleanly: see InterruptedError. */
  Hangup: 129,
  Interrupt: 130,
  Terminated: 143,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Base of every error photon raises on purpose; `exitCode` decides the process exit status. */
export class PhotonError extends Error {
  readonly exitCode: ExitCode = ExitCode.Failed;
  /** A short machine-readable code for `--json` output. */
  readonly code: string = 'FAILED';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    // The class's own name; in the bundle esbuild names the classes `_ConfigError` etc.
    this.name = new.target.name.replace(/^_+/, '');
  }
}

export interface ConfigErrorLocation {
  file?: string;
  line?: number;
  column?: number;
  keyPath?: string;
}

/** Bad settings: names the file, line, column and key path where they are known. */
export class ConfigError extends PhotonError {
  override readonly exitCode = ExitCode.Config;
  override readonly code = 'CONFIG';
  constructor(
    readonly detail: string,
    readonly location: ConfigErrorLocation = {},
    options?: { cause?: unknown },
  ) {
    super(ConfigError.format(detail, location), options);
  }

  static format(detail: string, { file, line, column, keyPath }: ConfigErrorLocation): string {
    const where = file ? `${file}${line ? `:${line}${column ? `:${column}` : ''}` : ''}: ` : '';
    return `${where}${keyPath ? `${keyPath}: ` : ''}${detail}`;
  }
}

/** Why a YAML file could not be read: the parser's complaint, a duplicate key, an alias, a size limit. */
export type YamlProblem = 'syntax' | 'duplicate-key' | 'alias' | 'limit';

/**
 * A YAML file `readYaml` could not read: a ConfigError (exit 2) naming file, line and column
 * where known, with the problem's kind and the key it concerns (the duplicate one, the first
 * top-level key holding a refused alias), for callers that report bad files instead of failing.
 */
export class YamlError extends ConfigError {
  constructor(
    detail: string,
    location: ConfigErrorLocation,
    readonly problem: YamlProblem,
    readonly key?: string,
    options?: { cause?: unknown },
  ) {
    super(detail, location, options);
  }
}

/** Wrong flags or arguments. */
export class UsageError extends PhotonError {
  override readonly exitCode = ExitCode.Config;
  override readonly code = 'USAGE';
}

/** A path that would leave the `--root` sandbox. */
export class SandboxError extends PhotonError {
  override readonly exitCode = ExitCode.Config;
  override readonly code = 'SANDBOX';
}

/** Another run holds the task lock. */
export class LockedError extends PhotonError {
  override readonly exitCode = ExitCode.Locked;
  override readonly code = 'LOCKED';
  constructor(
    readonly task: string,
    readonly holderPid: number | undefined,
  ) {
    super(`task ${task} is already running${holderPid ? ` (pid ${holderPid})` : ''}`);
  }
}

/** The signals that end a run cleanly, and the exit code of each (128 + its number). */
export const INTERRUPT_SIGNALS = {
  SIGHUP: ExitCode.Hangup,
  SIGINT: ExitCode.Interrupt,
  SIGTERM: ExitCode.Terminated,
} as const;
export type InterruptSignal = keyof typeof INTERRUPT_SIGNALS;

/** The run was ended by a signal: programs ended, temps removed, lock released, journal written. */
export class InterruptedError extends PhotonError {
  override readonly exitCode: ExitCode;
  override readonly code = 'INTERRUPTED';
  constructor(readonly signal: InterruptSignal) {
    super(`interrupted by ${signal}`);
    this.exitCode = INTERRUPT_SIGNALS[signal];
  }
}

/**
 * A usage, configuration or sandbox error found after the run had already changed files or
 * services: not "nothing was changed" (exit 2), but a failure (exit 1) naming what was changed.
 */
export class FailedAfterChangesError extends PhotonError {
  override readonly code = 'FAILED_AFTER_CHANGES';
  constructor(
    readonly original: PhotonError,
    readonly changed: string[],
  ) {
    super(
      `${original.message} (found after changing ${changed.length === 1 ? '' : `${changed.length} things: `}${changed.slice(0, 10).join(', ')}${changed.length > 10 ? ', …' : ''}; those changes were kept)`,
      { cause: original },
    );
  }
}

/** A required daemon, socket or remote is not there. */
export class UnavailableError extends PhotonError {
  override readonly exitCode = ExitCode.Unavailable;
  override readonly code = 'UNAVAILABLE';
}

/** A generated file failed validation by the real tool; the previous file was kept. */
export class ValidationRejectedError extends PhotonError {
  override readonly exitCode = ExitCode.Rejected;
  override readonly code = 'REJECTED';
  constructor(
    message: string,
    readonly file: string,
    readonly output: string,
  ) {
    super(message);
  }
}

/** Structured result of one external command (see `Shell.run`). */
export interface CommandResult {
  argv: string[];
  cwd?: string;
  /** Decoded as UTF-8; empty when the run asked for `rawStdout`. */
  stdout: string;
  /** stdout as the program wrote it, when the run asked for `rawStdout`. */
  stdoutBytes?: Buffer;
  stderr: string;
  /** The program could not be started at all (not found, not executable); `stderr` says why. */
  notStarted?: true;
  exitCode: number | undefined;
  signal: string | undefined;
  durationMs: number;
  timedOut: boolean;
  failed: boolean;
  /** True when the command was not executed because of `--dry-run`. */
  skipped: boolean;
}

/** An external command exited non-zero, was killed, or timed out. */
export class CommandFailedError extends PhotonError {
  override readonly code = 'COMMAND_FAILED';
  constructor(readonly result: CommandResult) {
    const why = result.timedOut
      ? `timed out after ${result.durationMs} ms`
      : result.notStarted
        ? 'could not be started'
        : result.signal
          ? `was killed by ${result.signal}`
          : `exited ${result.exitCode}`;
    const stderr = lastLines(result.stderr);
    super(`command ${JSON.stringify(result.argv.join(' '))} ${why}${stderr ? `: ${stderr}` : ''}`);
  }
}

/** The message of anything thrown. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The last non-blank lines of a program's output, on one line: for error messages. */
export function lastLines(text: string, count = 3): string {
  return text
    .trim()
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .slice(-count)
    .join(' | ');
}

/** Maps any thrown value to the process exit code. */
export function exitCodeOf(error: unknown): ExitCode {
  if (error instanceof PhotonError) return error.exitCode;
  // oclif parse errors (unknown flag, missing arg) carry oclif.exit = 2.
  const oclif = (error as { oclif?: { exit?: number } } | undefined)?.oclif;
  if (oclif?.exit === 2) return ExitCode.Config;
  return ExitCode.Failed;
}
