import {
  byCodeUnit,
  type RunRecord,
  type StatusHookOptions,
  type StatusHookResult,
  type StatusSection,
} from '@ffphoton/core';
import { icvpnSettings } from '../settings.js';

// The ICVPN jobs run on one weekday per gateway: a week and a day without a run is a stalled job.
const STALE_MS = 8 * 24 * 60 * 60 * 1000;
const ICVPN_TASKS = ['icvpn-update', 'icvpn-bgp', 'icvpn-roa', 'icvpn-dns', 'icvpn-tinc'];

type Row = NonNullable<StatusSection['rows']>[number];

/**
 * `photon:status`: the section "icvpn" of the status page — the last ICVPN runs of this host
 * (from the journal) and the generated files. Undefined when no ICVPN output is configured.
 */
export default async function status({ ctx }: StatusHookOptions): Promise<StatusHookResult> {
  if (ctx.settings.raw.icvpn === undefined) return undefined;
  const cfg = ctx.settings.get(icvpnSettings);
  if (cfg.outputs.length === 0) return undefined;
  const runs = (await ctx.journal.latestPerTask()).filter((r) => ICVPN_TASKS.includes(r.task));
  const present = await Promise.all(cfg.outputs.map((o) => ctx.files.exists(o.target)));
  return icvpnSection(
    cfg.outputs.map((o, i) => ({ kind: o.kind, target: o.target, present: present[i] })),
    runs,
    ctx.clock.now(),
  );
}

/** The section for these outputs and runs (pure, for tests). */
export function icvpnSection(
  outputs: { kind: string; target: string; present: boolean }[],
  runs: RunRecord[],
  now: Date,
): StatusSection {
  const rows: Row[] = runs
    .sort((a, b) => byCodeUnit(b.start, a.start))
    .map((run) => {
      const stale = now.getTime() - Date.parse(run.start) > STALE_MS;
      return {
        label: run.task,
        value: `${run.outcome} ${run.start.slice(0, 16).replace('T', ' ')} UTC: ${run.summary}`,
        state: run.outcome === 'failed' ? 'failed' : stale || run.outcome !== 'ok' ? 'warning' : 'ok',
      };
    });
  for (const output of outputs) {
    rows.push({
      label: `${output.kind} ${output.target}`,
      value: output.present ? 'installed' : 'not generated yet',
      state: output.present ? 'ok' : 'warning',
    });
  }
  const state = rows.some((r) => r.state === 'failed')
    ? 'failed'
    : runs.length === 0 || rows.some((r) => r.state === 'warning')
      ? 'warning'
      : 'ok';
  const last = runs[0];
  // The communities count of the newest run that reports one ("icvpn: 84 communities, …").
  const communities = runs.map((r) => /(\d+) communities/.exec(r.summary)?.[1]).find((n) => n !== undefined);
  return {
    ...(communities === undefined
      ? {}
      : {
          gauges: [
            {
              name: 'photon_icvpn_communities',
              help: 'ICVPN communities in the last run',
              value: Number(communities),
            },
          ],
        }),
    id: 'icvpn',
    title: 'ICVPN',
    state,
    summary: last
      ? `${outputs.length} output(s); last run ${last.start.slice(0, 10)}: ${last.summary}`
      : `${outputs.length} output(s); no ICVPN run recorded yet`,
    rows,
    ...(last ? { updated: last.end } : {}),
  };
}
