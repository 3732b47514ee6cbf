import { nonEmptyString, z } from '../settings/zod.js';
import type { TaskContext } from '../task/task-context.js';

/**
 * The `photon:status` hook: every installed plugin may answer with one or more sections for
 * the status page. A plugin with nothing to report (not configured here) returns undefined.
 *
 * ```ts
 * // package.json: "oclif": {"hooks": {"photon:status": "./dist/hooks/status.js"}}
 * const hook: Hook<'photon:status'> = async ({ ctx }) => ({ id: 'fastd', title: 'fastd', state: 'ok', ... });
 * ```
 */
export const STATUS_EVENT = 'photon:status';

export const statusStates = ['ok', 'warning', 'failed', 'unavailable'] as const;
export type StatusState = (typeof statusStates)[number];

/**
 * A section's state from its rows': the worst one, failed before unavailable before warning; ok when
 * there is nothing worse (a row without a state counts as ok).
 */
export function worstState(states: readonly (StatusState | undefined)[]): StatusState {
  for (const worst of ['failed', 'unavailable', 'warning'] as const) if (states.includes(worst)) return worst;
  return 'ok';
}

/** A duration for a status row ("45 s", "12 min", "5 h", "3 days"); negative (clock skew) shows as 0 s. */
export function formatAge(seconds: number): string {
  const s = Math.max(0, seconds);
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  if (s < 172_800) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86_400)} days`;
}

export const statusSectionSchema = z.strictObject({
  /** Stable key (anchor on the page, key in `--json`). */
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected a lower-case id such as fastd or icvpn'),
  title: nonEmptyString.max(80),
  state: z.enum(statusStates),
  /** One line, e.g. "2 instances, 37 of 120 peers connected". */
  summary: z.string().max(500),
  rows: z
    .array(
      z.strictObject({
        label: z.string().max(200),
        value: z.string().max(2000),
        state: z.enum(statusStates).optional(),
      }),
    )
    .max(500)
    .default([]),
  /** When the reported data was last updated (ISO 8601), if it is older than now. */
  updated: z.string().optional(),
  /**
   * Numbers for Prometheus (`photon.metrics.textfileDir`): e.g. `{ name: 'photon_fastd_peers',
   * help: 'Connected peers', labels: { instance: 'mzvpn' }, value: 37 }`; `host` is added.
   */
  gauges: z
    .array(
      z.strictObject({
        name: z.string().regex(/^photon_[a-z0-9_]+$/, 'expected a metric name such as photon_fastd_peers'),
        help: nonEmptyString.max(200),
        labels: z.record(z.string().regex(/^[a-z_][a-z0-9_]*$/), z.string().max(200)).default({}),
        value: z.number(),
      }),
    )
    .max(500)
    .optional(),
});

export type StatusSection = z.input<typeof statusSectionSchema>;
/** A section after validation, with the name of the plugin that reported it. */
export type ValidStatusSection = z.output<typeof statusSectionSchema> & { plugin: string };

/** What a `photon:status` hook receives (besides oclif's `config` and `context`). */
// A type alias, not an interface: oclif hook options must be assignable to Record<string, unknown>.
export type StatusHookOptions = {
  /** The running `web build` task: settings (`ctx.settings.get(yourNamespace)`), files, shell, clock. */
  ctx: TaskContext;
};

export type StatusHookResult = StatusSection | StatusSection[] | undefined;
