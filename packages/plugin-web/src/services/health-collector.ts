import {
  byCodeUnit,
  type Journal,
  type RunOutcome,
  type StatusState,
  statusSectionSchema,
  type ValidStatusSection,
} from '@ffphoton/core';

export interface TaskHealth {
  task: string;
  start: string;
  durationMs: number;
  outcome: RunOutcome;
  exitCode: number;
  summary: string;
  state: StatusState;
}

export interface HealthReport {
  /** The last run of every task: failures first, then by name. */
  tasks: TaskHealth[];
  /** Sections contributed by plugins through `photon:status`: failed and unavailable first, then by title. */
  sections: ValidStatusSection[];
}

/** The shape of oclif's `runHook` result that matters here. */
export interface StatusHookOutcome {
  successes: { plugin: { name: string }; result: unknown }[];
  failures: { plugin: { name: string }; error: Error }[];
}

const stateOf: Record<RunOutcome, StatusState> = {
  ok: 'ok',
  partial: 'warning',
  locked: 'warning',
  interrupted: 'warning',
  failed: 'failed',
};
const rank: Record<StatusState, number> = { failed: 0, unavailable: 0, warning: 1, ok: 2 };

const slug = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '') || 'plugin';

/** Collects the health section: the journal's last runs and every plugin's status report. */
export class HealthCollector {
  constructor(
    private readonly journal: Journal,
    private readonly runStatusHook: () => Promise<StatusHookOutcome>,
  ) {}

  /** `own` are sections photon-web adds itself (the accounts file). */
  async collect(own: ValidStatusSection[] = []): Promise<HealthReport> {
    const [records, hook] = await Promise.all([this.journal.latestPerTask(), this.runStatusHook()]);
    const tasks = records
      .map((r) => ({
        task: r.task,
        start: r.start,
        durationMs: r.durationMs,
        outcome: r.outcome,
        exitCode: r.exitCode,
        summary: r.summary,
        state: stateOf[r.outcome] ?? 'failed',
      }))
      .sort((a, b) => rank[a.state] - rank[b.state] || byCodeUnit(a.task, b.task));
    return { tasks, sections: sectionsOf(hook, own) };
  }
}

/** Validates what each plugin returned; a plugin that threw or returned garbage is "unavailable". */
export function sectionsOf(hook: StatusHookOutcome, own: ValidStatusSection[] = []): ValidStatusSection[] {
  const sections: ValidStatusSection[] = [...own];
  const unavailable = (plugin: string, why: string): ValidStatusSection => ({
    plugin,
    id: slug(plugin),
    title: plugin,
    state: 'unavailable',
    summary: `unavailable: ${why}`,
    rows: [],
  });
  for (const { plugin, error } of hook.failures) {
    sections.push(unavailable(plugin.name, error?.message ?? String(error)));
  }
  for (const { plugin, result } of hook.successes) {
    if (result === undefined || result === null) continue;
    for (const candidate of Array.isArray(result) ? result : [result]) {
      const parsed = statusSectionSchema.safeParse(candidate);
      sections.push(
        parsed.success
          ? { ...parsed.data, plugin: plugin.name }
          : unavailable(plugin.name, `reported an invalid section (${parsed.error.issues[0]?.message})`),
      );
    }
  }
  // ids become anchors: two sections (or two failures of one plugin) must not share one.
  const seen = new Map<string, number>();
  const unique = sections.map((s) => {
    const n = (seen.get(s.id) ?? 0) + 1;
    seen.set(s.id, n);
    return n === 1 ? s : { ...s, id: `${s.id}-${n}` };
  });
  // like the tasks: what needs attention first
  return unique.sort((a, b) => rank[a.state] - rank[b.state] || byCodeUnit(a.title, b.title));
}
