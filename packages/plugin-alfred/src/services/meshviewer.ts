import type { JsonObject } from './alfred-records.js';
import { memoryUsage, type NodesState, num, obj } from './nodes-export.js';

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

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : [];

/** A mesh interface MAC: its node, link type and a number for link keys. */
interface MeshInterface {
  node: string;
  type: MeshviewerLink['type'];
  index: number;
}

/** Adds a node's interface MACs by link type: `network.mesh.*.interfaces`, legacy `mesh_interfaces`, its MAC. */
function addInterfaces(id: string, nodeinfo: JsonObject, into: Map<string, MeshInterface>): void {
  const network = obj(nodeinfo.network);
  const add = (mac: unknown, type: MeshviewerLink['type']) => {
    if (typeof mac !== 'string') return;
    const known = into.get(mac);
    if (!known) into.set(mac, { node: id, type, index: into.size });
    else {
      known.node = id;
      if (known.type === 'other') known.type = type;
    }
  };
  const mesh = obj(network.mesh);
  for (const bat in mesh) {
    const interfaces = obj(obj(mesh[bat]).interfaces);
    for (const kind in interfaces) {
      const list = interfaces[kind];
      const type = kind === 'tunnel' ? 'vpn' : kind === 'wireless' ? 'wifi' : 'other';
      if (Array.isArray(list)) for (const mac of list) add(mac, type);
    }
  }
  if (Array.isArray(network.mesh_interfaces)) for (const mac of network.mesh_interfaces) add(mac, 'other');
  add(network.mac, 'other');
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
  const interfaces = new Map<string, MeshInterface>();
  for (const id of ids) addInterfaces(id, state.nodes[id].nodeinfo, interfaces);
  const nodeOf = (mac: string | undefined) =>
    mac === undefined ? undefined : (interfaces.get(mac)?.node ?? mac);

  const nodes = ids.map((id): MeshviewerNode => {
    const { firstseen, lastseen, nodeinfo, statistics } = state.nodes[id];
    const network = obj(nodeinfo.network);
    const software = obj(nodeinfo.software);
    const location = obj(nodeinfo.location);
    const stats = obj(statistics);
    const clients = obj(stats.clients);
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
      memory_usage: memoryUsage(stats),
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

  // Links: one per unordered pair of interface MACs, the lower MAC the source; keyed by the
  // pair's interface numbers (a number key: 150,000 links are hashed without building strings).
  const links = new Map<number, MeshviewerLink>();
  for (const id of ids) {
    if (!online.has(id)) continue;
    const batadv = obj(neighbours.get(id)?.batadv);
    for (const ifmac in batadv) {
      const list = obj(obj(batadv[ifmac]).neighbours);
      for (const mac in list) {
        const tq = num(obj(list[mac]).tq);
        const peer = interfaces.get(mac);
        if (tq === undefined || tq < 0 || tq > 255 || !peer || peer.node === id || !online.has(peer.node))
          continue;
        // An interface of our own that nodeinfo did not list still links: it is added now.
        let own = interfaces.get(ifmac);
        if (!own) {
          own = { node: id, type: 'other', index: interfaces.size };
          interfaces.set(ifmac, own);
        }
        const forward = ifmac < mac;
        const key = forward ? own.index * 2 ** 26 + peer.index : peer.index * 2 ** 26 + own.index;
        let link = links.get(key);
        if (!link) {
          const [source, target] = forward ? [own, peer] : [peer, own];
          link = {
            type: source.type !== 'other' ? source.type : target.type,
            source: source.node,
            target: target.node,
            source_tq: 0,
            target_tq: 0,
            source_addr: forward ? ifmac : mac,
            target_addr: forward ? mac : ifmac,
          };
          links.set(key, link);
        }
        if (forward) link.source_tq = tq / 255;
        else link.target_tq = tq / 255;
      }
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
