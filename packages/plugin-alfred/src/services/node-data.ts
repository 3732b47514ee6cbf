import type { FileStore, Shell } from '@ffphoton/core';
import type { AlfredSettings, MeshSettings } from '../settings.js';
import type { JsonObject } from './alfred-records.js';
import { localClients, selectedGateway } from './batctl-output.js';
import { HostFacts } from './host-facts.js';
import { batmanNeighbours } from './neighbours.js';

/** One mesh's node data: what alfred announce pushes and respondd answers. */
export interface MeshNodeData {
  mesh: string;
  nodeinfo: JsonObject;
  statistics: JsonObject;
  /** Only when asked for (`neighbours: true`): batman-adv's direct neighbours per interface MAC. */
  neighbours?: JsonObject;
  /** Items that could not be read (left out of the records), without the host-wide ones. */
  problems: string[];
}

export interface CollectedNodeData {
  meshes: MeshNodeData[];
  /** Host-wide items (uptime, memory, fastd -v …) that could not be read. */
  sharedProblems: string[];
}

/** Host-wide facts read once per collection and shared by every mesh. */
interface SharedFacts {
  batmanVersion?: string;
  fastdVersion?: string;
  firmware: { base?: string; release?: string };
  model?: string;
  nproc?: number;
  uptime?: number;
  idletime?: number;
  loadavg?: number;
  processes?: { running: number; total: number };
  memory?: { total?: number; free?: number; buffers?: number; cached?: number };
}

/**
 * The gateway's node data — nodeinfo, statistics and neighbours in the ffnord / mesh-announce /
 * Gluon layout — from /proc, /sys and batctl (through the sandbox). One model for both
 * transports: `alfred announce` pushes it to alfred, `respondd serve` answers with it.
 */
export class NodeDataCollector {
  constructor(
    private readonly shell: Shell,
    private readonly files: FileStore,
    private readonly cfg: AlfredSettings,
  ) {}

  async collect(
    meshes: MeshSettings[],
    hostname: string,
    options: { neighbours?: boolean } = {},
  ): Promise<CollectedNodeData> {
    // Helper programs (fastd -v, batctl) run concurrently: announce runs every minute.
    const sharedFacts = new HostFacts(this.files);
    const shared = this.readShared(sharedFacts);
    const results = await Promise.all(
      meshes.map(async (mesh) => {
        const facts = new HostFacts(this.files);
        const data = await this.build(mesh, hostname, shared, facts, options.neighbours ?? false);
        return { mesh: mesh.name, ...data, problems: facts.problems };
      }),
    );
    return { meshes: results, sharedProblems: sharedFacts.problems };
  }

  private async readShared(facts: HostFacts): Promise<SharedFacts> {
    const fastdRun = this.command(facts, this.cfg.announce.fastdVersion, 'software.fastd.version');
    const [uptime, idletime] = (await facts.text('/proc/uptime', 'uptime'))?.split(/\s+/).map(Number) ?? [];
    const loadavg = (await facts.text('/proc/loadavg', 'loadavg'))?.split(/\s+/);
    const processes = /^(\d+)\/(\d+)$/.exec(loadavg?.[3] ?? '');
    const mem = await facts.meminfo();
    const cpuinfo = (await facts.text('/proc/cpuinfo', 'hardware')) ?? '';
    const fastd = await fastdRun;
    return {
      batmanVersion: await facts.text('/sys/module/batman_adv/version', 'software.batman-adv.version'),
      fastdVersion: /\bv?(\d+(?:\.\d+)*)\b/.exec(fastd ?? '')?.[0],
      firmware: await facts.osRelease(),
      model: /^(?:model name|Hardware|cpu model)\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim(),
      nproc: cpuinfo.match(/^processor\s*:/gm)?.length,
      uptime: finite(uptime),
      idletime: finite(idletime),
      loadavg: finite(Number(loadavg?.[0])),
      processes: processes ? { running: Number(processes[1]), total: Number(processes[2]) } : undefined,
      memory:
        mem.MemTotal === undefined
          ? undefined
          : { total: mem.MemTotal, free: mem.MemFree, buffers: mem.Buffers, cached: mem.Cached },
    };
  }

  private async build(
    mesh: MeshSettings,
    hostname: string,
    sharedFacts: Promise<SharedFacts>,
    facts: HostFacts,
    withNeighbours: boolean,
  ) {
    const batctl = [...this.cfg.announce.batctl, 'meshif', mesh.batman];
    const batctlRuns = Promise.all([
      this.command(facts, [...batctl, 'gwl', '-n'], 'gateway'),
      this.command(facts, [...batctl, 'tl', '-n'], 'clients'),
      withNeighbours ? this.command(facts, [...batctl, 'o', '-n'], 'neighbours') : undefined,
    ]);
    const mac = await facts.mac(mesh.batman, 'network.mac');
    const nodeId = mac?.replaceAll(':', '');
    const meshIfaces = mesh.fastd ? [mesh.fastd] : await facts.lowerInterfaces(mesh.batman);
    const meshMacs = (
      await Promise.all(meshIfaces.map((i) => facts.mac(i, 'network.mesh_interfaces')))
    ).filter((m): m is string => m !== undefined);
    const [gwl, tl, originators] = await batctlRuns;
    const shared = await sharedFacts;

    const nodeinfo = compact({
      node_id: nodeId,
      hostname: mesh.hostname ?? hostname,
      network: compact({
        mac,
        addresses: mesh.bridge ? await facts.ipv6Addresses(mesh.bridge) : undefined,
        mesh_interfaces: meshMacs,
        mesh: { [mesh.batman]: { interfaces: { tunnel: meshMacs } } },
      }),
      software: compact({
        'batman-adv': compact({ version: shared.batmanVersion }),
        fastd: compact({ enabled: true, version: shared.fastdVersion }),
        firmware: compact({ base: shared.firmware.base, release: shared.firmware.release }),
      }),
      hardware: compact({ model: mesh.hardwareModel ?? shared.model, nproc: shared.nproc }),
      system: compact({ site_code: mesh.siteCode, role: mesh.role }),
      owner: mesh.contact ? { contact: mesh.contact } : undefined,
      location: mesh.location,
      vpn: true,
    });
    const stats = `/sys/class/net/${mesh.batman}/statistics`;
    const counter = (name: string) => facts.counter(`${stats}/${name}`, 'traffic');
    const statistics = compact({
      node_id: nodeId,
      uptime: shared.uptime,
      idletime: shared.idletime,
      loadavg: shared.loadavg,
      memory: shared.memory && compact(shared.memory),
      processes: shared.processes,
      traffic: compact({
        rx: compact({ bytes: await counter('rx_bytes'), packets: await counter('rx_packets') }),
        tx: compact({
          bytes: await counter('tx_bytes'),
          packets: await counter('tx_packets'),
          dropped: await counter('tx_dropped'),
        }),
      }),
      clients: tl === undefined ? undefined : { total: localClients(tl).length },
      gateway: gwl === undefined ? undefined : selectedGateway(gwl),
    });
    if (!withNeighbours) return { nodeinfo, statistics };
    const neighbours: JsonObject = { node_id: nodeId };
    if (originators !== undefined) neighbours.batadv = await this.byInterfaceMac(originators, facts);
    return { nodeinfo, statistics, neighbours };
  }

  /** batman-adv's direct neighbours, keyed by the MAC of the interface they are seen on. */
  private async byInterfaceMac(originators: string, facts: HostFacts): Promise<JsonObject> {
    const batadv: JsonObject = {};
    for (const [ifname, neighbours] of batmanNeighbours(originators)) {
      const mac = await facts.mac(ifname, 'neighbours');
      if (mac !== undefined) batadv[mac] = { neighbours };
    }
    return batadv;
  }

  /** stdout of a read-only helper (batctl, fastd -v), or undefined with a problem. */
  private async command(facts: HostFacts, argv: string[], what: string): Promise<string | undefined> {
    try {
      const result = await this.shell.run(argv, { allowFailure: true, timeoutMs: 10_000 });
      if (!result.failed) return result.stdout;
      facts.problems.push(
        `${what}: ${argv.join(' ')} failed: ${result.stderr.trim().split('\n')[0] || `exit ${result.exitCode}`}`,
      );
    } catch (error) {
      facts.problems.push(`${what}: ${argv.join(' ')}: ${(error as Error).message}`);
    }
    return undefined;
  }
}

function finite(n: number | undefined): number | undefined {
  return n !== undefined && Number.isFinite(n) ? n : undefined;
}

/**
 * Drops undefined values and empty objects, so a missing item is absent rather than null (an
 * empty result is itself dropped by the enclosing compact).
 */
function compact(obj: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(obj)) {
    if (value === undefined) continue;
    if (
      typeof value === 'object' &&
      value !== null &&
      !Array.isArray(value) &&
      Object.keys(value).length === 0
    )
      continue;
    out[key] = value;
  }
  return out;
}
