import {
  Args,
  Flags,
  formatTable,
  type Incident,
  ReadOnlyTaskCommand,
  type RunRecord,
  type TaskContext,
} from '@ffphoton/core';

export default class History extends ReadOnlyTaskCommand<typeof History, RunRecord[] | Incident[]> {
  static override summary = 'Show the journal of past runs (newest first) and the open incidents.';
  static override description =
    'An incident is a task failing the same way run after run: its first failure mails, the same failure ' +
    'again only as a reminder (mail.reminderHours), and the first success closes it with a "recovered" mail.';
  static override args = {
    task: Args.string({ description: 'Only this task, e.g. fastd-limit', required: false }),
  };
  static override flags = {
    limit: Flags.integer({ summary: 'How many runs', default: 20, min: 1 }),
    incidents: Flags.boolean({
      summary: 'Show only the open incidents (failing tasks), oldest first.',
      default: false,
    }),
  };

  private openIncidents: Incident[] = [];

  static override examples = [
    '<%= config.bin %> history',
    '<%= config.bin %> history fastd-limit --limit 5',
    '<%= config.bin %> history --incidents  # the open incidents only',
    '<%= config.bin %> history --json',
  ];

  protected async execute(ctx: TaskContext): Promise<RunRecord[] | Incident[]> {
    const task = this.args.task;
    this.openIncidents = (await ctx.incidents.list()).filter(
      (incident) => task === undefined || incident.task === task,
    );
    if (this.flags.incidents) return this.openIncidents;
    return ctx.journal.history(task, this.flags.limit);
  }

  protected summarize(result: RunRecord[] | Incident[]): string {
    return this.flags.incidents
      ? `history: ${result.length} open incidents`
      : `history: ${result.length} runs`;
  }

  protected override render(result: RunRecord[] | Incident[]): string[] {
    const incidents = incidentLines(this.openIncidents);
    if (this.flags.incidents) return incidents.length > 0 ? incidents : ['no open incidents'];
    const runs = result as RunRecord[];
    const table =
      runs.length === 0
        ? ['no runs recorded yet']
        : formatTable(
            ['start', 'task', 'outcome', 'exit', 'duration', 'summary'],
            runs.map((r) => [
              r.start,
              r.task,
              r.outcome,
              String(r.exitCode),
              `${r.durationMs} ms`,
              r.summary,
            ]),
          );
    return incidents.length > 0 ? ['Open incidents:', ...incidents, '', ...table] : table;
  }
}

function incidentLines(incidents: Incident[]): string[] {
  if (incidents.length === 0) return [];
  return formatTable(
    ['since', 'task', 'exit', 'failures', 'last mail', 'summary'],
    incidents.map((i) => [
      i.since,
      i.task,
      String(i.exitCode),
      String(i.failures),
      i.mailedAt ?? '-',
      i.summary,
    ]),
  );
}
