import {
  formatAge,
  type StatusHookOptions,
  type StatusHookResult,
  type StatusSection,
  worstState,
} from '@ffphoton/core';
import { StatusReport, type StatusReportResult } from '../services/status-report.js';
import { StatusSocketReader } from '../services/status-socket-reader.js';
import { fastdSettings } from '../settings.js';
import { readVerifyState, type VerifyState } from '../verify-state.js';

type Row = NonNullable<StatusSection['rows']>[number];

/**
 * `photon:status`: the section "fastd" of the status page — each instance's live socket (peers
 * connected of known, uptime) and its limit from the last `fastd limit` run. Read-only; undefined
 * when no fastd instance is configured here.
 */
export default async function status({ ctx }: StatusHookOptions): Promise<StatusHookResult> {
  if (ctx.settings.raw.fastd === undefined) return undefined;
  const cfg = ctx.settings.get(fastdSettings);
  if (cfg.instances.length === 0) return undefined;
  const { result } = await new StatusReport(new StatusSocketReader(ctx.files)).read(cfg.instances);
  return fastdSection(
    cfg.instances.map((i) => i.name),
    result,
    readVerifyState(ctx.files.resolve(cfg.verifyStateFile)),
  );
}

/** The section for these instances (pure, for tests). */
export function fastdSection(
  names: string[],
  report: StatusReportResult,
  state: VerifyState | undefined,
): StatusSection {
  const rows: Row[] = names.map((name) => {
    const failed = report.failed.find((f) => f.instance === name);
    if (failed) return { label: name, value: `status socket unreadable: ${failed.error}`, state: 'failed' };
    const live = report.instances.find((i) => i.instance === name)!;
    const limit = state?.instances[name]?.limit;
    const full = typeof limit === 'number' && live.peersConnected >= limit;
    return {
      label: name,
      value:
        `${live.peersConnected} of ${live.peersKnown} peer(s) connected` +
        `${typeof limit === 'number' ? `, limit ${limit}` : ''}${full ? ' (full)' : ''}, up ${formatAge(live.uptimeSeconds)}`,
      state: full ? 'warning' : 'ok',
    };
  });
  const connected = report.instances.reduce((sum, i) => sum + i.peersConnected, 0);
  const gauges = report.instances.flatMap((live) => {
    const labels = { instance: live.instance };
    const limit = state?.instances[live.instance]?.limit;
    return [
      { name: 'photon_fastd_peers', help: 'Connected fastd peers', labels, value: live.peersConnected },
      { name: 'photon_fastd_peers_known', help: 'Known fastd peers', labels, value: live.peersKnown },
      ...(typeof limit === 'number'
        ? [{ name: 'photon_fastd_peer_limit', help: 'The fastd peer limit photon set', labels, value: limit }]
        : []),
    ];
  });
  return {
    gauges,
    id: 'fastd',
    title: 'fastd',
    state: worstState(rows.map((r) => r.state)),
    summary: `${names.length} instance(s), ${connected} peer(s) connected`,
    rows,
  };
}
