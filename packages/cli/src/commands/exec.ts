import { Flags, TaskCommand, type TaskContext, UsageError } from '@ffphoton/core';
import { type ProgramRun, ProgramRunner } from '../services/exec/program-runner.js';

export default class Exec extends TaskCommand<typeof Exec, ProgramRun> {
  static override summary =
    'Run any program with the lock, journal, timeout, log file and failure mail of a photon task.';
  static override description =
    'The task name (--name) names the lock, the journal entries (`photon history NAME`) and the failure mail. ' +
    "The program's output goes into the task log. Exit 0 when the program succeeded, 1 when it exited non-zero, " +
    'was killed or timed out, 69 when it cannot be started, 75 when the previous run still holds the lock, 2 for bad usage.';
  static override examples = [
    '<%= config.bin %> exec --name firmware-rsync --timeout 3600 -- rsync -avh --delete rsync://build.example.org/firmware /var/www/html/firmware',
  ];
  static override strict = false;
  static override flags = {
    name: Flags.string({
      summary: 'Task name for the lock, journal and mail (letters, digits, ".", "_", "-").',
      required: true,
    }),
    timeout: Flags.integer({
      summary:
        'Kill the program (and its children) after this many seconds (default: photon.commandTimeoutSeconds).',
      min: 1,
    }),
  };

  protected override taskName(): string {
    return this.flags.name;
  }

  protected async execute(ctx: TaskContext): Promise<ProgramRun> {
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(this.flags.name)) {
      throw new UsageError(
        `--name ${JSON.stringify(this.flags.name)}: use letters, digits, ".", "_" and "-"`,
      );
    }
    const separator = this.argv.indexOf('--');
    const argv = separator < 0 ? [] : this.argv.slice(separator + 1);
    if (argv.length === 0)
      throw new UsageError('no program given: photon exec --name NAME -- PROGRAM [ARGS…]');
    return new ProgramRunner(ctx.shell, ctx.logger).run(argv, this.flags.timeout);
  }

  protected summarize(r: ProgramRun): string {
    if (r.skipped) return `${this.flags.name}: dry-run, would run ${r.argv.join(' ')}`;
    return `${this.flags.name}: ${r.argv[0]} exited ${r.exitCode} after ${r.durationMs} ms`;
  }
}
