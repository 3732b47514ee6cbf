import type { Shell } from '@ffphoton/core';

export interface SystemCommandOutput {
  title: string;
  argv: string[];
  /** stdout and stderr kept apart (the original showed stderr instead of stdout when there was any). */
  stdout: string;
  stderr: string;
  ok: boolean;
  /** Why the output is missing or incomplete. */
  note?: string;
  durationMs: number;
}

/**
 * Runs the system page's commands (read-only, independent: all at once, so a hanging one costs
 * one timeout, not the sum); a failing or hanging command becomes a note.
 */
export class SystemReport {
  constructor(
    private readonly shell: Shell,
    private readonly timeoutMs: number,
  ) {}

  async collect(commands: { title?: string; argv: string[] }[]): Promise<SystemCommandOutput[]> {
    return Promise.all(commands.map((command) => this.runOne(command)));
  }

  private async runOne(command: { title?: string; argv: string[] }): Promise<SystemCommandOutput> {
    const r = await this.shell.run(command.argv, { timeoutMs: this.timeoutMs, allowFailure: true });
    const note = r.timedOut
      ? `Timed out after ${Math.round(this.timeoutMs / 1000)} s and was stopped.`
      : r.notStarted
        ? `Could not be started: ${r.stderr.trim() || 'program not found'}.`
        : r.failed
          ? `Failed (${r.signal ? `killed by ${r.signal}` : `exit ${r.exitCode}`}).`
          : undefined;
    return {
      title: command.title ?? command.argv.join(' '),
      argv: [...command.argv],
      stdout: r.stdout,
      stderr: note?.startsWith('Could not') ? '' : r.stderr,
      ok: !r.failed,
      note,
      durationMs: r.durationMs,
    };
  }
}
