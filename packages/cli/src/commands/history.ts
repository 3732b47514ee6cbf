import { type RunRecord, TaskCommand, type TaskContext } from '@ffphoton/core';
import { Args, Flags } from '@ffphoton/core';

export default class History extends TaskCommand<typeof History, RunRecord[]> {
  static override summary = 'Show the journal of past runs (newest first).';
  static override readOnly = true;
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
    return table(['start', 'task', 'outcome', 'exit', 'duration', 'summary'], rows);
  }
}

export function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}
