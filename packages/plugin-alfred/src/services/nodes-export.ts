import { type Clock, type FileStore, formatBytes, type Logger } from '@ffphoton/core';
import type { NodesSettings } from '../settings.js';
import type { DecodedRecords, JsonObject } from './alfred-records.js';

/** What is remembered about a node between runs (the seed's "node states"). */
export interface NodeState {
  firstseen: string;
  lastseen: string;
  nodeinfo: JsonObject;
  statistics?: JsonObject;
}

export interface NodesState {
  version: 1;
  nodes: Record<string, NodeState>;
}

export interface NodesResult {
  nodesFile: string;
  nodelistFile: string;
  stateFile: string;
  total: number;
  online: number;
  /** node_ids dropped because they were not seen for maxAgeSeconds. */
  dropped: string[];
  problems: string[];
}

const NODE_ID = /^[0-9a-f]{12}$/;

/** The node_id a record belongs to: its own `node_id`, else the source MAC without colons. */
function nodeIdOf(mac: string, record: JsonObject): string {
  const id = record.node_id;
  return typeof id === 'string' && NODE_ID.test(id) ? id : mac.replaceAll(':', '');
}

/**
 * nodeinfo + statistics (+ the remembered state) → meshviewer's nodes.json (v2) and
 * nodelist.json. Nodes not seen for maxAgeSeconds are dropped.
 */
export function mergeNodes(
  previous: NodesState,
  nodeinfo: DecodedRecords,
  statistics: DecodedRecords,
  now: Date,
  maxAgeSeconds: number,
): { state: NodesState; online: Set<string>; dropped: string[]; problems: string[] } {
  const stamp = now.toISOString();
  const problems = [...nodeinfo.problems, ...statistics.problems].map((p) => p.message);
  // Maps and fresh objects: copying and deleting keys of a 10,000-key object is slow.
  const infoById = new Map<string, JsonObject>();
  for (const mac in nodeinfo.nodes) {
    const info = nodeinfo.nodes[mac];
    const id = nodeIdOf(mac, info);
    if (infoById.has(id)) problems.push(`${mac}: node_id ${id} is announced twice; keeping the first`);
    else infoById.set(id, info);
  }
  const statsById = new Map<string, JsonObject>();
  for (const mac in statistics.nodes) {
    const stats = statistics.nodes[mac];
    statsById.set(nodeIdOf(mac, stats), stats);
  }
  const nodes: Record<string, NodeState> = {};
  const dropped: string[] = [];
  const oldest = now.getTime() - maxAgeSeconds * 1000;
  for (const id in previous.nodes) {
    if (infoById.has(id)) continue;
    const { firstseen, lastseen, nodeinfo: info } = previous.nodes[id];
    if (Date.parse(lastseen) >= oldest) nodes[id] = { firstseen, lastseen, nodeinfo: info };
    else dropped.push(id);
  }
  for (const [id, info] of infoById) {
    const stats = statsById.get(id);
    const firstseen = Object.hasOwn(previous.nodes, id) ? previous.nodes[id].firstseen : stamp;
    nodes[id] = { firstseen, lastseen: stamp, nodeinfo: info, ...(stats ? { statistics: stats } : {}) };
  }
  const online = new Set(infoById.keys());
  return { state: { version: 1, nodes }, online, dropped, problems };
}

/** A finite number from node data, else undefined. */
export const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
/** A JSON object from node data, else an empty one. */
export const obj = (v: unknown): JsonObject =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as JsonObject) : {};

/** The share of memory in use (free, buffers and cached count as available), 4 decimals. */
export function memoryUsage(stats: JsonObject): number | undefined {
  const memory = obj(stats.memory);
  const total = num(memory.total);
  const available = (num(memory.free) ?? 0) + (num(memory.buffers) ?? 0) + (num(memory.cached) ?? 0);
  return total ? Math.round((1 - available / total) * 1e4) / 1e4 : undefined;
}

const clientsOf = (stats: JsonObject | undefined) =>
  stats ? (num(obj(stats.clients).total) ?? num(stats.clients) ?? 0) : 0;

/** Node ids in a stable order (native string sort: no comparator call per pair). */
const sortedIds = (state: NodesState) => Object.keys(state.nodes).sort();

/** meshviewer's flat statistics block from a statistics (159) record. */
function meshviewerStatistics(id: string, stats: JsonObject | undefined): JsonObject {
  if (!stats) return { node_id: id };
  return {
    node_id: id,
    clients: clientsOf(stats),
    uptime: num(stats.uptime),
    loadavg: num(stats.loadavg),
    memory_usage: memoryUsage(stats),
    gateway: typeof stats.gateway === 'string' ? stats.gateway : undefined,
  };
}

export function renderNodesJson(state: NodesState, online: Set<string>, now: Date): string {
  return joinNodesJson([...nodesJsonEntries(state, online).values()], now);
}

/** Each node's nodes.json entry, serialized on its own (in id order) so a budget can leave some out. */
function nodesJsonEntries(state: NodesState, online: Set<string>): Map<string, string> {
  const entries = new Map<string, string>();
  for (const id of sortedIds(state)) {
    const node = state.nodes[id];
    entries.set(
      id,
      JSON.stringify({
        firstseen: node.firstseen,
        lastseen: node.lastseen,
        flags: { online: online.has(id), gateway: node.nodeinfo.vpn === true },
        statistics: meshviewerStatistics(id, node.statistics),
        nodeinfo: node.nodeinfo,
      }),
    );
  }
  return entries;
}

/** What JSON.stringify({ version, timestamp, nodes }) gives, from serialized entries. */
function joinNodesJson(entries: string[], now: Date): string {
  return `{"version":2,"timestamp":"${now.toISOString()}","nodes":[${entries.join(',')}]}\n`;
}

/**
 * Leaves nodes out of `entries` (and `state`) until nodes.json fits `maxBytes`: those seen longest
 * ago first, then the biggest. Records come from anyone on the mesh; the map (and the state, its
 * copy) must not grow without bound. Returns the ids left out.
 */
export function fitNodesBudget(
  state: NodesState,
  entries: Map<string, string>,
  maxBytes: number,
  now: Date,
): string[] {
  const sizes = new Map<string, number>();
  let total = Buffer.byteLength(joinNodesJson([], now));
  for (const [id, entry] of entries) {
    const size = Buffer.byteLength(entry) + 1;
    sizes.set(id, size);
    total += size;
  }
  if (total <= maxBytes) return [];
  const candidates = [...entries.keys()].sort((a, b) => {
    const age = Date.parse(state.nodes[a].lastseen) - Date.parse(state.nodes[b].lastseen);
    return age !== 0 ? age : (sizes.get(b) ?? 0) - (sizes.get(a) ?? 0);
  });
  const leftOut: string[] = [];
  for (const id of candidates) {
    if (total <= maxBytes) break;
    total -= sizes.get(id) ?? 0;
    entries.delete(id);
    delete state.nodes[id];
    leftOut.push(id);
  }
  return leftOut;
}

export function renderNodelistJson(state: NodesState, online: Set<string>, now: Date): string {
  const nodes = sortedIds(state).map((id) => {
    const node = state.nodes[id];
    const location = obj(node.nodeinfo.location);
    const lat = num(location.latitude);
    const long = num(location.longitude);
    return {
      id,
      name: typeof node.nodeinfo.hostname === 'string' ? node.nodeinfo.hostname : id,
      ...(lat !== undefined && long !== undefined ? { position: { lat, long } } : {}),
      status: {
        online: online.has(id),
        lastcontact: node.lastseen,
        clients: clientsOf(node.statistics),
      },
    };
  });
  return `${JSON.stringify({ version: '1.0.0', updated_at: now.toISOString(), nodes })}\n`;
}

/** The state in a nodes.json written by renderNodesJson (statistics.node_id is the key). */
function stateOfNodesJson(entries: unknown[]): NodesState {
  const nodes: Record<string, NodeState> = {};
  for (const entry of entries) {
    const e = obj(entry);
    const id = obj(e.statistics).node_id;
    const valid = typeof id === 'string' && NODE_ID.test(id);
    if (!valid || typeof e.firstseen !== 'string' || typeof e.lastseen !== 'string') continue;
    nodes[id] = { firstseen: e.firstseen, lastseen: e.lastseen, nodeinfo: obj(e.nodeinfo) };
  }
  return { version: 1, nodes };
}

/** Reads the state, merges the alfred data, writes nodes.json, nodelist.json and the state atomically. */
export class NodesExporter {
  constructor(
    private readonly files: FileStore,
    private readonly clock: Clock,
    private readonly logger?: Logger,
  ) {}

  async export(
    cfg: NodesSettings,
    stateFile: string,
    nodeinfo: DecodedRecords,
    statistics: DecodedRecords,
  ): Promise<NodesResult> {
    const now = this.clock.now();
    const previous = await this.readState(stateFile);
    const { state, online, dropped, problems } = mergeNodes(
      previous,
      nodeinfo,
      statistics,
      now,
      cfg.maxAgeSeconds,
    );
    const entries = nodesJsonEntries(state, online);
    for (const id of fitNodesBudget(state, entries, cfg.maxBytes, now))
      problems.push(
        `node ${id} left out: nodes.json would exceed alfred.nodes.maxBytes (${formatBytes(cfg.maxBytes)})`,
      );
    // nodes.json holds all the state needs (first/last seen, nodeinfo): serialized and encoded
    // once (5 MB with 10,000 nodes), it is also the state — a copy in the data dir that the web
    // root's users cannot break.
    const nodesJson = Buffer.from(joinNodesJson([...entries.values()], now));
    await this.files.writeAtomic(cfg.nodesFile, nodesJson, { mode: 0o644 });
    await this.files.writeAtomic(cfg.nodelistFile, renderNodelistJson(state, online, now), { mode: 0o644 });
    await this.files.writeAtomic(stateFile, nodesJson, { mode: 0o600 });
    if (dropped.length > 0)
      this.logger?.info({ dropped }, `dropped ${dropped.length} node(s) not seen for ${cfg.maxAgeSeconds} s`);
    return {
      nodesFile: cfg.nodesFile,
      nodelistFile: cfg.nodelistFile,
      stateFile,
      total: Object.keys(state.nodes).length,
      online: online.size,
      dropped,
      problems,
    };
  }

  private async readState(stateFile: string): Promise<NodesState> {
    const text = await this.files.readTextIfExists(stateFile);
    if (text === undefined) return { version: 1, nodes: {} };
    try {
      const parsed = JSON.parse(text);
      if (parsed?.version === 2 && Array.isArray(parsed.nodes)) return stateOfNodesJson(parsed.nodes);
      // The state before it became a copy of nodes.json.
      if (parsed?.version === 1 && typeof parsed.nodes === 'object' && parsed.nodes !== null)
        return parsed as NodesState;
    } catch {
      // fall through: a damaged state only costs the first-seen times
    }
    this.logger?.warn(`${stateFile} is not a node state file; starting afresh`);
    return { version: 1, nodes: {} };
  }
}
