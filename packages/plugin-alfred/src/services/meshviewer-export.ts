import path from 'node:path';
import { type TaskContext, UnavailableError } from '@ffphoton/core';
import type { AlfredSettings } from '../settings.js';
import { AlfredType } from './alfred-client.js';
import type { DecodedRecords, JsonObject, NodeRecords } from './alfred-records.js';
import { alfredClientFor } from './client-factory.js';
import { MeshDataSource, selectMeshes } from './mesh-data-source.js';
import { buildMapData } from './meshviewer.js';
import { mergeNodes, type NodesState, renderNodesJson } from './nodes-export.js';
import { queryRespondd } from './respondd-collector.js';
import { safeJson } from './respondd-protocol.js';

const NODE_ID = /^[0-9a-f]{12}$/;

export interface MapResult {
  source: 'respondd' | 'alfred';
  meshviewerFile: string;
  graphFile: string;
  nodesFile?: string;
  stateFile: string;
  total: number;
  online: number;
  links: number;
  dropped: string[];
  problems: string[];
}

/** The three record types of one collection, keyed by node (source MAC or node_id). */
export interface MapRecords {
  nodeinfo: DecodedRecords;
  statistics: DecodedRecords;
  neighbours: DecodedRecords;
}

/** respondd answers → records by node_id; an answer without a node_id is a problem. */
export function recordsOfAnswers(answers: { from: string; data: JsonObject }[]): MapRecords {
  const records: MapRecords = {
    nodeinfo: { nodes: {}, problems: [] },
    statistics: { nodes: {}, problems: [] },
    neighbours: { nodes: {}, problems: [] },
  };
  for (const { from, data } of answers) {
    const nodeinfo = data.nodeinfo as JsonObject | undefined;
    const id = nodeinfo?.node_id ?? (data.statistics as JsonObject | undefined)?.node_id;
    if (typeof id !== 'string' || !NODE_ID.test(id)) {
      records.nodeinfo.problems.push({ message: `${from}: an answer without a valid node_id` });
      continue;
    }
    for (const type of ['nodeinfo', 'statistics', 'neighbours'] as const) {
      const value = data[type];
      if (value !== null && typeof value === 'object' && !Array.isArray(value))
        (records[type].nodes as NodeRecords)[id] = value as JsonObject;
    }
  }
  return records;
}

/**
 * `photon map`: the node data of the whole mesh (from respondd or alfred), merged with the
 * remembered first/last-seen state, written as meshviewer.json, graph.json and (when set)
 * nodes.json v2 — each atomically, with `<`, `>` and `&` escaped in node data.
 */
export class MapExporter {
  constructor(
    private readonly ctx: TaskContext,
    private readonly cfg: AlfredSettings,
  ) {}

  async collect(): Promise<MapRecords> {
    const map = this.cfg.map;
    if (map.source === 'alfred') {
      const meshes = selectMeshes(this.cfg.meshes, map.meshes, 'alfred.map.meshes');
      const source = new MeshDataSource(alfredClientFor(this.ctx, this.cfg), this.cfg.limits);
      const [nodeinfo, statistics, neighbours] = await Promise.all([
        source.read(meshes, AlfredType.nodeinfo),
        source.read(meshes, AlfredType.statistics),
        source.read(meshes, AlfredType.neighbours),
      ]);
      return { nodeinfo, statistics, neighbours };
    }
    const results = await Promise.all(
      map.targets.map((target) =>
        queryRespondd(
          target,
          this.cfg.respondd.port,
          ['nodeinfo', 'statistics', 'neighbours'],
          map.timeoutSeconds * 1000,
        ),
      ),
    );
    const answers = results.flatMap((r) => r.answers);
    if (answers.length === 0)
      throw new UnavailableError(
        `no respondd answer from ${map.targets.join(', ')} within ${map.timeoutSeconds} s`,
      );
    const records = recordsOfAnswers(answers);
    records.statistics.problems.push(...results.flatMap((r) => r.problems.map((message) => ({ message }))));
    return records;
  }

  async export(records: MapRecords): Promise<MapResult> {
    const { files, clock } = this.ctx;
    const map = this.cfg.map;
    const now = clock.now();
    const stateFile = path.isAbsolute(map.stateFile)
      ? map.stateFile
      : path.join(this.ctx.dataDir, map.stateFile);
    const previous = await this.readState(stateFile);
    const merged = mergeNodes(previous, records.nodeinfo, records.statistics, now, map.maxAgeSeconds);
    const neighbours = new Map<string, JsonObject>();
    for (const [key, record] of Object.entries(records.neighbours.nodes)) {
      const id =
        typeof record.node_id === 'string' && NODE_ID.test(record.node_id)
          ? record.node_id
          : key.replaceAll(':', '');
      neighbours.set(id, record);
    }
    const { meshviewer, graph } = buildMapData(merged.state, merged.online, neighbours, now);
    await files.writeAtomic(map.meshviewerFile, `${safeJson(meshviewer)}\n`, { mode: 0o644 });
    await files.writeAtomic(map.graphFile, `${safeJson(graph)}\n`, { mode: 0o644 });
    if (map.nodesFile)
      await files.writeAtomic(map.nodesFile, renderNodesJson(merged.state, merged.online, now), {
        mode: 0o644,
      });
    await files.writeAtomic(stateFile, JSON.stringify(merged.state), { mode: 0o600 });
    return {
      source: map.source,
      meshviewerFile: map.meshviewerFile,
      graphFile: map.graphFile,
      ...(map.nodesFile ? { nodesFile: map.nodesFile } : {}),
      stateFile,
      total: meshviewer.nodes.length,
      online: merged.online.size,
      links: meshviewer.links.length,
      dropped: merged.dropped,
      problems: [...merged.problems, ...records.neighbours.problems.map((p) => p.message)],
    };
  }

  private async readState(stateFile: string): Promise<NodesState> {
    const text = await this.ctx.files.readTextIfExists(stateFile);
    if (text !== undefined) {
      try {
        const parsed = JSON.parse(text);
        if (parsed?.version === 1 && typeof parsed.nodes === 'object' && parsed.nodes !== null) return parsed;
      } catch {
        // a damaged state only costs the first-seen times
      }
      this.ctx.logger.warn(`${stateFile} is not a node state file; starting afresh`);
    }
    return { version: 1, nodes: {} };
  }
}
