import {
  formatAge,
  type StatusHookOptions,
  type StatusHookResult,
  type StatusSection,
  worstState,
} from '@ffphoton/core';
import { type AlfredRunStatus, RunStatusStore } from '../services/run-status.js';
import { alfredSettings } from '../settings.js';

// announce runs every minute, zone and nodes every few: older than this is a stalled cron job.
const STALE_MS = 15 * 60 * 1000;

type Row = NonNullable<StatusSection['rows']>[number];
type State = StatusSection['state'];

/**
 * `photon:status`: the section "alfred" of the status page — the configured meshes and what the
 * last announce, zone and nodes runs on this host did. Reads only the small status files those
 * commands leave in the data dir; undefined when alfred is not configured here.
 */
export default async function status({ ctx }: StatusHookOptions): Promise<StatusHookResult> {
  if (ctx.settings.raw.alfred === undefined) return undefined;
  const cfg = ctx.settings.get(alfredSettings);
  if (cfg.meshes.length === 0) return undefined;
  const last = await new RunStatusStore(ctx.files, ctx.dataDir).read();
  return alfredSection(
    cfg.meshes.map((m) => m.name),
    cfg.zone !== undefined,
    last,
    ctx.clock.now(),
  );
}

/** The section for these meshes and the last runs' status (pure, for tests and other callers). */
export function alfredSection(
  meshes: string[],
  zoneConfigured: boolean,
  last: AlfredRunStatus,
  now: Date,
): StatusSection {
  const age = (time: string) => now.getTime() - Date.parse(time);
  const ago = (time: string) => `${formatAge(Math.round(age(time) / 1000))} ago`;
  const fresh = (time: string, state: State): State => (age(time) > STALE_MS ? 'warning' : state);
  const rows: Row[] = meshes.map((name) => {
    const mesh = last.announce?.meshes.find((m) => m.mesh === name);
    if (!last.announce || !mesh)
      return { label: `mesh ${name}`, value: 'not announced yet', state: 'warning' };
    if (!mesh.pushed)
      return {
        label: `mesh ${name}`,
        value: `announce failed ${ago(last.announce.time)}: ${mesh.error ?? 'not pushed'}`,
        state: 'failed',
      };
    const problems = mesh.problems ? `, ${mesh.problems} item(s) unreadable` : '';
    return {
      label: `mesh ${name}`,
      value: `node ${mesh.nodeId} announced ${ago(last.announce.time)}${problems}`,
      state: fresh(last.announce.time, mesh.problems ? 'warning' : 'ok'),
    };
  });
  // A run that failed left its error: the row says so until the next run succeeds.
  const failed = (time: string, error: string): Pick<Row, 'value' | 'state'> => ({
    value: `failed ${ago(time)}: ${error}`,
    state: 'failed',
  });
  const counted = (
    time: string,
    text: string,
    problems: number,
    what: string,
  ): Pick<Row, 'value' | 'state'> => ({
    value: `${text}, ${ago(time)}${problems ? `, ${problems} ${what}` : ''}`,
    state: fresh(time, problems ? 'warning' : 'ok'),
  });
  if (last.nodes) {
    const n = last.nodes;
    rows.push({
      label: 'nodes.json',
      ...('error' in n
        ? failed(n.time, n.error)
        : counted(n.time, `${n.total} node(s), ${n.online} online`, n.problems, 'record(s) refused')),
    });
  }
  if (zoneConfigured && last.zone) {
    const z = last.zone;
    rows.push({
      label: `zone ${z.zone}`,
      ...('error' in z
        ? failed(z.time, z.error)
        : counted(z.time, `${z.names} name(s), serial ${z.serial}`, z.problems, 'refused')),
    });
  }
  const announced = last.announce?.meshes.filter((m) => m.pushed).length ?? 0;
  const parts = [`${meshes.length} mesh(es) configured, ${announced} announced`];
  if (last.nodes && !('error' in last.nodes))
    parts.push(`${last.nodes.total} node(s), ${last.nodes.online} online`);
  const times = [last.announce?.time, last.nodes?.time, last.zone?.time].filter((t): t is string => !!t);
  const newest = times.sort().at(-1);
  const nodes = last.nodes && !('error' in last.nodes) ? last.nodes : undefined;
  return {
    ...(nodes
      ? {
          gauges: [
            { name: 'photon_alfred_nodes', help: 'Nodes in nodes.json', value: nodes.total },
            { name: 'photon_alfred_nodes_online', help: 'Nodes online in nodes.json', value: nodes.online },
          ],
        }
      : {}),
    id: 'alfred',
    title: 'alfred',
    state: worstState(rows.map((r) => r.state)),
    summary: parts.join('; '),
    rows,
    ...(newest ? { updated: newest } : {}),
  };
}
