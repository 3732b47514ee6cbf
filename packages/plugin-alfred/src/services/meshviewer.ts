import type { JsonObject } from './alfred-records.js';
import type { NodesState } from './nodes-export.js';

/** One node of meshviewer.json (the meshviewer-ffrgb format yanic writes). */
export interface MeshviewerNode {
  firstseen: string;
  lastseen: string;
  is_online: boolean;
  is_gateway: boolean;
  clients: number;
  clients_wifi24: number;
  clients_wifi5: number;
  clients_other: number;
  loadavg?: number;
  memory_usage?: number;
  /** When the node booted (ISO time), from statistics.uptime. */
  uptime?: string;
  gateway_nexthop?: string;
  gateway?: string;
  node_id: string;
  /** `network.mac` and `network.addresses` again at the top: older meshviewers read them there. */
  mac: string;
  addresses: string[];
  network: { mac: string; addresses: string[] };
  site_code?: string;
  domain?: string;
  hostname: string;
  owner?: string;
  location?: { longitude: number; latitude: number };
  firmware: { base?: string; release?: string };
  autoupdater: { enabled: boolean; branch?: string };
  nproc?: number;
  model?: string;
  vpn: boolean;
}

/** One link of meshviewer.json: both directions of a neighbour pair, TQ as 0–1. */
export interface MeshviewerLink {
  type: 'vpn' | 'wifi' | 'other';
  source: string;
  target: string;
  source_tq: number;
  target_tq: number;
  source_addr: string;
  target_addr: string;
}

export interface Meshviewer {
  timestamp: string;
  nodes: MeshviewerNode[];
  links: MeshviewerLink[];
}

/** graph.json version 1 (ffmap-backend, hopglass, meshviewer before v5): nodes by MAC, links by index. */
export interface Graph {
  version: 1;
  batadv: {
    directed: false;
    graph: [];
    multigraph: false;
    nodes: { id: string; node_id: string }[];
    links: { source: number; target: number; tq: number; vpn: boolean; bidirect: boolean }[];
  };
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const obj = (v: unknown): JsonObject =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as JsonObject) : {};
const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : [];

/** Interface MACs of a node by link type, from `network.mesh.*.interfaces` (and legacy `mesh_interfaces`). */
function interfaceTypes(nodeinfo: JsonObject, into: Map<string, MeshviewerLink['type']>): string[] {
  const network = obj(nodeinfo.network);
  const macs: string[] = [];
  const add = (mac: string, type: MeshviewerLink['type']) => {
    macs.push(mac);
    if (!into.has(mac) || into.get(mac) === 'other') into.set(mac, type);
  };
  for (const bat of Object.values(obj(network.mesh))) {
    const interfaces = obj(obj(bat).interfaces);
    for (const [kind, list] of Object.entries(interfaces)) {
      const type = kind === 'tunnel' ? 'vpn' : kind === 'wireless' ? 'wifi' : 'other';
      for (const mac of strings(list)) add(mac, type);
    }
  }
  for (const mac of strings(network.mesh_interfaces)) add(mac, 'other');
  const own = str(network.mac);
  if (own) add(own, 'other');
  return macs;
}

/** The direct neighbours a neighbours record lists: [own interface MAC, neighbour MAC, tq 0–255]. */
function* batadvNeighbours(neighbours: JsonObject | undefined): Generator<[string, string, number]> {
  for (const [ifmac, entry] of Object.entries(obj(neighbours?.batadv))) {
    for (const [mac, link] of Object.entries(obj(obj(entry).neighbours))) {
      const tq = num(obj(link).tq);
      if (tq !== undefined && tq >= 0 && tq <= 255) yield [ifmac, mac, tq];
    }
  }
}

/**
 * meshviewer.json and graph.json from the node state (first/last seen, nodeinfo, statistics),
 * the online set and the neighbours records by node_id. Links join the interface MACs of two
 * online nodes; a pair is one link, its two TQs from each side's neighbours (0 when a side
 * did not report it, as yanic writes them).
 */
export function buildMapData(
  state: NodesState,
  online: ReadonlySet<string>,
  neighbours: ReadonlyMap<string, JsonObject>,
  now: Date,
): { meshviewer: Meshviewer; graph: Graph } {
  const ids = Object.keys(state.nodes).sort();
  const nodeByMac = new Map<string, string>();
  const types = new Map<string, MeshviewerLink['type']>();
  for (const id of ids)
    for (const mac of interfaceTypes(state.nodes[id].nodeinfo, types)) nodeByMac.set(mac, id);
  const nodeOf = (mac: string | undefined) => (mac === undefined ? undefined : (nodeByMac.get(mac) ?? mac));

  const nodes = ids.map((id): MeshviewerNode => {
    const { firstseen, lastseen, nodeinfo, statistics } = state.nodes[id];
    const network = obj(nodeinfo.network);
    const software = obj(nodeinfo.software);
    const location = obj(nodeinfo.location);
    const stats = obj(statistics);
    const clients = obj(stats.clients);
    const memory = obj(stats.memory);
    const total = num(memory.total);
    const free = (num(memory.free) ?? 0) + (num(memory.buffers) ?? 0) + (num(memory.cached) ?? 0);
    const wifi24 = num(clients.wifi24) ?? 0;
    const wifi5 = num(clients.wifi5) ?? 0;
    const clientCount = num(clients.total) ?? num(stats.clients) ?? wifi24 + wifi5;
    const uptime = num(stats.uptime);
    const latitude = num(location.latitude);
    const longitude = num(location.longitude);
    const mac = str(network.mac) ?? '';
    const addresses = strings(network.addresses);
    const system = obj(nodeinfo.system);
    const hardware = obj(nodeinfo.hardware);
    const firmware = obj(software.firmware);
    const autoupdater = obj(software.autoupdater);
    return {
      firstseen,
      lastseen,
      is_online: online.has(id),
      is_gateway: nodeinfo.vpn === true || system.role === 'gateway',
      clients: clientCount,
      clients_wifi24: wifi24,
      clients_wifi5: wifi5,
      clients_other: Math.max(0, clientCount - wifi24 - wifi5),
      loadavg: num(stats.loadavg),
      memory_usage: total ? Math.round((1 - free / total) * 1e4) / 1e4 : undefined,
      uptime: uptime === undefined ? undefined : new Date(now.getTime() - uptime * 1000).toISOString(),
      gateway_nexthop: nodeOf(str(stats.gateway_nexthop)),
      gateway: nodeOf(str(stats.gateway)),
      node_id: id,
      mac,
      addresses,
      network: { mac, addresses },
      site_code: str(system.site_code),
      domain: str(system.domain_code),
      hostname: str(nodeinfo.hostname) ?? id,
      owner: str(obj(nodeinfo.owner).contact),
      location: latitude !== undefined && longitude !== undefined ? { longitude, latitude } : undefined,
      firmware: { base: str(firmware.base), release: str(firmware.release) },
      autoupdater: { enabled: autoupdater.enabled === true, branch: str(autoupdater.branch) },
      nproc: num(hardware.nproc),
      model: str(hardware.model),
      vpn: nodeinfo.vpn === true,
    };
  });

  // Links: one per unordered pair of interface MACs; the lower MAC is the source.
  const links = new Map<string, MeshviewerLink>();
  for (const id of ids) {
    if (!online.has(id)) continue;
    for (const [ifmac, mac, tq] of batadvNeighbours(neighbours.get(id))) {
      const other = nodeByMac.get(mac);
      if (other === undefined || other === id || !online.has(other)) continue;
      const forward = ifmac < mac;
      const [sourceAddr, targetAddr] = forward ? [ifmac, mac] : [mac, ifmac];
      const key = `${sourceAddr}-${targetAddr}`;
      let link = links.get(key);
      if (!link) {
        link = {
          type: types.get(sourceAddr) ?? types.get(targetAddr) ?? 'other',
          source: forward ? id : other,
          target: forward ? other : id,
          source_tq: 0,
          target_tq: 0,
          source_addr: sourceAddr,
          target_addr: targetAddr,
        };
        links.set(key, link);
      }
      if (forward) link.source_tq = tq / 255;
      else link.target_tq = tq / 255;
    }
  }
  const linkList = [...links.values()];
  return {
    meshviewer: { timestamp: now.toISOString(), nodes, links: linkList },
    graph: graphOf(linkList),
  };
}

/** graph.json: the linked interface MACs as nodes; tq as batman-adv's inverse (1 is perfect). */
function graphOf(links: MeshviewerLink[]): Graph {
  const index = new Map<string, number>();
  const graphNodes: Graph['batadv']['nodes'] = [];
  const indexOf = (mac: string, nodeId: string) => {
    let i = index.get(mac);
    if (i === undefined) {
      i = graphNodes.length;
      index.set(mac, i);
      graphNodes.push({ id: mac, node_id: nodeId });
    }
    return i;
  };
  const graphLinks = links.map((link) => {
    const best = Math.max(link.source_tq, link.target_tq);
    return {
      source: indexOf(link.source_addr, link.source),
      target: indexOf(link.target_addr, link.target),
      tq: Math.round((1 / best) * 1000) / 1000,
      vpn: link.type === 'vpn',
      bidirect: link.source_tq > 0 && link.target_tq > 0,
    };
  });
  return {
    version: 1,
    batadv: { directed: false, graph: [], multigraph: false, nodes: graphNodes, links: graphLinks },
  };
}
