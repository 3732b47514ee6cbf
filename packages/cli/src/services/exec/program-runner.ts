import { CommandFailedError, type Logger, type Shell, UnavailableError } from '@ffphoton/core';

export interface ProgramRun {
  argv: string[];
  exitCode: number | undefined;
  durationMs: number;
  /** True in --dry-run: the program was not started. */
  skipped: boolean;
  stdoutLines: number;
  stderrLines: number;
}

/**
 * Runs an arbitrary program as a photon task: its output goes line by line into the task
 * log (the log file, and the last lines into the failure mail); a non-zero exit, a signal
 * or the timeout fails the task.
 */
export class ProgramRunner {
  constructor(
    private readonly shell: Shell,
    private readonly logger: Logger,
  ) {}

  async run(argv: string[], timeoutSeconds?: number): Promise<ProgramRun> {
    const result = await this.shell.run(argv, {
      mutates: true,
      allowFailure: true,
      ...(timeoutSeconds ? { timeoutMs: timeoutSeconds * 1000 } : {}),
    });
    const stdoutLines = this.logLines('stdout', result.stdout);
    const stderrLines = this.logLines('stderr', result.stderr);
    if (result.notStarted) {
      throw new UnavailableError(`cannot start ${argv[0]}: ${result.stderr.trim() || 'not found'}`);
    }
    if (result.failed) throw new CommandFailedError(result);
    return {
      argv,
      exitCode: result.exitCode,
      durationMs: result.durationMs,
      skipped: result.skipped,
      stdoutLines,
      stderrLines,
    };
  }

  private logLines(stream: 'stdout' | 'stderr', text: string): number {
    const lines = text.split('\n').filter((line) => line.trim() !== '');
    for (const line of lines) this.logger.info({ stream }, line);
    return lines.length;
  }
}
