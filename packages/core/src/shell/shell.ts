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
  /**
   * Keep stdout as bytes (`stdoutBytes`; `stdout` stays empty): for binary or large output a
   * caller parses as bytes anyway, which saves decoding it to a string and encoding it back.
   */
  rawStdout?: boolean;
}

const GRACE_MS = 2_000;
/** More output than this is a runaway program, not data: it is killed and the run fails. */
const MAX_OUTPUT_BYTES = 256 * 1024 * 1024;

/**
 * Runs external programs from argv arrays — never a shell string. stdout and stderr are kept
 * separate and whole; a timeout kills the whole process group.
 */
export class Shell {
  /** Process groups (leader pids) of the programs running now, with a promise of their end. */
  private readonly running = new Map<number, Promise<void>>();

  constructor(
    private readonly options: {
      dryRun: boolean;
      defaultTimeoutMs: number;
      recorder?: ChangeRecorder;
      logger?: Logger;
      /** Aborted when the run is interrupted: no program starts after that. */
      signal?: AbortSignal;
    },
  ) {}

  /**
   * Ends every running program and its children: SIGTERM to each process group, SIGKILL to
   * those still there after `graceMs`. Resolves when all have ended.
   */
  async endAll(graceMs: number): Promise<void> {
    if (this.running.size === 0) return;
    const groups = [...this.running.keys()];
    for (const pid of groups) signalGroup(pid, 'SIGTERM');
    const ended = Promise.all(this.running.values());
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<'grace'>((resolve) => {
      timer = setTimeout(() => resolve('grace'), graceMs);
    });
    if ((await Promise.race([ended, grace])) === 'grace') {
      for (const pid of groups) signalGroup(pid, 'SIGKILL');
      await ended;
    }
    clearTimeout(timer);
  }

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
    this.options.signal?.throwIfAborted();
    const timeoutMs = options.timeoutMs ?? this.options.defaultTimeoutMs;
    const started = performance.now();
    const outcome = await spawnAndCollect(full, options, timeoutMs, this.running);
    const result: CommandResult = {
      argv: full,
      cwd: options.cwd,
      ...outcome,
      durationMs: Math.round(performance.now() - started),
      failed: outcome.timedOut || outcome.exitCode !== 0,
      skipped: false,
    };
    this.options.recorder?.recordCommand(result);
    logger?.debug({ argv: full, exitCode: result.exitCode, durationMs: result.durationMs }, `ran ${full[0]}`);
    if (result.failed && !options.allowFailure) throw new CommandFailedError(result);
    return result;
  }

  /**
   * Runs a validator (named-checkzone, bird -p, ssh-keygen …) and returns its verdict: a failed
   * result means it rejected the input. A validator that gave no verdict — could not be started,
   * was killed, timed out — raises CommandFailedError: that is a broken host, not a bad file.
   */
  async runValidator(argv: readonly string[]): Promise<CommandResult> {
    const result = await this.run(argv, { allowFailure: true });
    if (result.notStarted || result.timedOut || result.signal) throw new CommandFailedError(result);
    return result;
  }
}

type SpawnOutcome = Pick<
  CommandResult,
  'stdout' | 'stdoutBytes' | 'stderr' | 'notStarted' | 'exitCode' | 'signal' | 'timedOut'
>;

/**
 * node:child_process directly rather than execa: a photon run is a fresh process every minute,
 * and evaluating execa's module graph cost ~15 ms of each run that started a program. What the
 * Shell needs (argv, pipes, whole output, process-group kill) is what spawn does.
 */
function spawnAndCollect(
  argv: string[],
  options: RunOptions,
  timeoutMs: number,
  running: Map<number, Promise<void>>,
): Promise<SpawnOutcome> {
  return new Promise((resolve) => {
    let closed = () => {};
    const env = options.env ? withoutUndefined({ ...process.env, ...options.env }) : process.env;
    // Loaded on first use: most runs start no program, and child_process pulls in net and dgram.
    const { spawn } = process.getBuiltinModule('node:child_process');
    // detached: the child leads its own process group, so a timeout can kill its children too.
    const child = spawn(argv[0] as string, argv.slice(1), {
      cwd: options.cwd,
      env,
      detached: true,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let outputBytes = 0;
    let timedOut = false;
    let overflow = false;
    let spawnError: Error | undefined;
    let forceTimer: NodeJS.Timeout | undefined;
    const killGroup = (signal: NodeJS.Signals) => {
      if (child.pid) signalGroup(child.pid, signal);
    };
    const pid = child.pid;
    if (pid) {
      running.set(
        pid,
        new Promise<void>((ended) => {
          closed = () => {
            running.delete(pid);
            ended();
          };
        }),
      );
    }
    const collect = (chunks: Buffer[]) => (chunk: Buffer) => {
      outputBytes += chunk.length;
      if (outputBytes > MAX_OUTPUT_BYTES) {
        if (!overflow) killGroup('SIGKILL');
        overflow = true;
        return;
      }
      chunks.push(chunk);
    };
    child.stdout?.on('data', collect(stdout));
    child.stderr?.on('data', collect(stderr));
    if (options.input !== undefined && child.stdin) {
      // A program that exits without reading its input closes the pipe: not an error of the run.
      child.stdin.on('error', () => {});
      child.stdin.end(options.input);
    }
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup('SIGTERM');
      forceTimer = setTimeout(() => killGroup('SIGKILL'), GRACE_MS);
    }, timeoutMs);
    child.on('error', (error) => {
      spawnError = error;
    });
    // 'close' comes after the exit and after both pipes ended: the output is whole.
    child.on('close', (code, signal) => {
      closed();
      clearTimeout(timer);
      if (forceTimer) clearTimeout(forceTimer);
      if (timedOut) killGroup('SIGKILL');
      const err = Buffer.concat(stderr).toString('utf8');
      const out = Buffer.concat(stdout);
      resolve({
        ...(options.rawStdout ? { stdout: '', stdoutBytes: out } : { stdout: out.toString('utf8') }),
        stderr: spawnError
          ? `${err}${spawnError.message}`
          : overflow
            ? `${err}photon: output over ${MAX_OUTPUT_BYTES} bytes, program killed`
            : err,
        ...(spawnError ? { notStarted: true as const } : {}),
        exitCode: spawnError ? undefined : (code ?? undefined),
        signal: signal ?? undefined,
        timedOut,
      });
    });
  });
}

function signalGroup(leader: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-leader, signal);
  } catch {
    // the group is already gone
  }
}

function withoutUndefined(env: Record<string, string | undefined>): Record<string, string> {
  const clean: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) clean[key] = value;
  return clean;
}
