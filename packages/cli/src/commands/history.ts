import {
  Args,
  Flags,
  formatTable,
  ReadOnlyTaskCommand,
  type RunRecord,
  type TaskContext,
} from '@ffphoton/core';

export default class History extends ReadOnlyTaskCommand<typeof History, RunRecord[]> {
  static override summary = 'Show the journal of past runs (newest first).';
  static override args = {
    task: Args.string({ description: 'Only this task, e.g. fastd-limit', required: false }),
  };
  static override flags = { limit: Flags.integer({ summary: 'How many runs', default: 20, min: 1 }) };

  protected async execute(ctx: TaskContext): Promise<RunRecord[]> {
    return ctx.journal.history(this.args.task, this.flags.limit);
  }

  protected summarize(runs: RunRecord[]): string {
    return `history: ${runs.length} runs`;
  }

  protected override render(runs: RunRecord[]): string[] {
    if (runs.length === 0) return ['no runs recorded yet'];
    const rows = runs.map((r) => [
      r.start,
      r.task,
      r.outcome,
      String(r.exitCode),
      `${r.durationMs} ms`,
      r.summary,
    ]);
    return formatTable(['start', 'task', 'outcome', 'exit', 'duration', 'summary'], rows);
  }
}
