import type { TaskContext } from '@ffphoton/core';
import { type AlfredSettings, type MeshSettings, meshSchema } from '../settings.js';
import { selectMeshes } from './mesh-data-source.js';
import { NodeDataCollector } from './node-data.js';
import { NodeDataCache } from './respondd-cache.js';
import { ResponddResponder, type ResponderCounts, type ResponderListen } from './respondd-responder.js';

export interface ServeResult {
  address: string;
  port: number;
  meshes: { mesh: string; nodeId?: string; problems: string[] }[];
  memberships: { group: string; iface: string; mesh: string }[];
  /** What was served until the stop signal (all zero with --dry-run). */
  counts: ResponderCounts;
}

/**
 * The meshes to answer for: the configured ones (or those named), or — on a host without any —
 * the host itself, named by its first interface with a MAC address (so `respondd serve`
 * answers a debugging query on any machine).
 */
export async function responddMeshes(
  ctx: TaskContext,
  cfg: AlfredSettings,
  names: readonly string[] | undefined,
): Promise<MeshSettings[]> {
  if (cfg.meshes.length > 0 || (names && names.length > 0)) return selectMeshes(cfg.meshes, names, '--mesh');
  const ifaces = (await ctx.files.list('/sys/class/net')).sort();
  let batman = 'bat0';
  for (const iface of ifaces) {
    const mac = (await ctx.files.readTextIfExists(`/sys/class/net/${iface}/address`))?.trim();
    if (mac && /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/.test(mac) && mac !== '00:00:00:00:00:00') {
      batman = iface;
      break;
    }
  }
  return [meshSchema.parse({ name: 'host', batman, responddInterfaces: [batman] })];
}

/**
 * Runs the responder until `stopped` resolves: collects every mesh once (its problems are
 * warnings, and the first answers need no wait), binds, joins, serves.
 */
export async function serveRespondd(
  ctx: TaskContext,
  cfg: AlfredSettings,
  meshes: MeshSettings[],
  listen: ResponderListen,
  stopped: Promise<void>,
): Promise<ServeResult> {
  const collector = new NodeDataCollector(ctx.shell, ctx.files, cfg);
  const reported = new Set<string>();
  const cache = new NodeDataCache(async (mesh) => {
    const {
      meshes: [data],
      sharedProblems,
    } = await collector.collect([mesh], ctx.host, { neighbours: true });
    // Each problem once per run: the data is collected every few seconds.
    for (const problem of [...sharedProblems, ...data.problems]) {
      const text = `mesh ${mesh.name}: ${problem}`;
      if (!reported.has(text)) ctx.logger.warn({ mesh: mesh.name }, `respondd: ${text}`);
      reported.add(text);
    }
    return { nodeinfo: data.nodeinfo, statistics: data.statistics, neighbours: data.neighbours ?? {} };
  }, cfg.respondd.cacheSeconds * 1000);
  const first = await Promise.all(meshes.map((mesh) => cache.get(mesh)));
  const responder = new ResponddResponder(meshes, cfg.respondd, cache, ctx.logger);
  const result: ServeResult = {
    address: listen.address ?? '::',
    port: listen.port,
    meshes: meshes.map((mesh, i) => ({
      mesh: mesh.name,
      nodeId: first[i].nodeinfo.node_id as string | undefined,
      problems: [...reported].filter((p) => p.startsWith(`mesh ${mesh.name}: `)),
    })),
    memberships: responder.memberships(listen),
    counts: responder.counts,
  };
  if (ctx.dryRun) return result;
  const bound = await responder.start(listen);
  result.port = bound.port;
  ctx.logger.info(
    `respondd: answering on [${bound.address}]:${bound.port} for ${meshes.map((m) => m.name).join(', ')}`,
  );
  try {
    await stopped;
  } finally {
    await responder.stop();
  }
  return result;
}
