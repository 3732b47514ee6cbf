import { gzipSync } from 'node:zlib';
import type { FileStore, Logger, Shell } from '@ffphoton/core';
import { UnavailableError } from '@ffphoton/core';
import type { AlfredSettings, MeshSettings } from '../settings.js';
import { type AlfredClient, AlfredType } from './alfred-client.js';
import type { JsonObject } from './alfred-records.js';
import { localClients, selectedGateway } from './batctl-output.js';
import { HostFacts } from './host-facts.js';

export interface MeshAnnouncement {
  mesh: string;
  nodeId?: string;
  /** Both records were handed to alfred (false in dry-run and when the socket was missing). */
  pushed: boolean;
  nodeinfo: JsonObject;
  statistics: JsonObject;
  /** Items that could not be read (left out of the records). */
  problems: string[];
  error?: string;
}

export interface AnnounceResult {
  meshes: MeshAnnouncement[];
}

/** Host-wide facts read once per run and shared by every mesh. */
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
 * The successor of ffnord-alfred-announce: builds nodeinfo (158) and statistics (159) for
 * every mesh from /proc and /sys (through the sandbox), gzips them and hands them to alfred.
 */
export class Announcer {
  constructor(
    private readonly shell: Shell,
    private readonly files: FileStore,
    private readonly client: AlfredClient,
    private readonly cfg: AlfredSettings,
    private readonly logger?: Logger,
  ) {}

  async announce(meshes: MeshSettings[], hostname: string): Promise<AnnounceResult> {
    // Helper programs (fastd -v, batctl) and the two pushes run concurrently: this runs every minute.
    const sharedFacts = new HostFacts(this.files);
    const shared = this.readShared(sharedFacts);
    const results = await Promise.all(meshes.map((mesh) => this.announceMesh(mesh, hostname, shared)));
    for (const problem of sharedFacts.problems) this.logger?.warn(problem);
    return {
      meshes: results.map((r) => ({ ...r, problems: [...sharedFacts.problems, ...r.problems] })),
    };
  }

  private async announceMesh(
    mesh: MeshSettings,
    hostname: string,
    shared: Promise<SharedFacts>,
  ): Promise<MeshAnnouncement> {
    const facts = new HostFacts(this.files);
    const { nodeinfo, statistics } = await this.build(mesh, hostname, shared, facts);
    const announcement: MeshAnnouncement = {
      mesh: mesh.name,
      nodeId: nodeinfo.node_id as string | undefined,
      pushed: false,
      nodeinfo,
      statistics,
      problems: facts.problems,
    };
    for (const problem of facts.problems)
      this.logger?.warn({ mesh: mesh.name }, `mesh ${mesh.name}: ${problem}`);
    try {
      if (nodeinfo.node_id === undefined) throw new UnavailableError(`${mesh.batman} has no MAC address`);
      await Promise.all([
        this.client.push(mesh.socket, AlfredType.nodeinfo, gzip(nodeinfo)),
        this.client.push(mesh.socket, AlfredType.statistics, gzip(statistics)),
      ]);
      announcement.pushed = !this.files.dryRun;
    } catch (error) {
      if (!(error instanceof UnavailableError)) throw error;
      announcement.error = error.message;
    }
    return announcement;
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
  ) {
    const batctl = [...this.cfg.announce.batctl, 'meshif', mesh.batman];
    const batctlRuns = Promise.all([
      this.command(facts, [...batctl, 'gwl', '-n'], 'gateway'),
      this.command(facts, [...batctl, 'tl', '-n'], 'clients'),
    ]);
    const mac = await facts.mac(mesh.batman, 'network.mac');
    const nodeId = mac?.replaceAll(':', '');
    const meshIfaces = mesh.fastd ? [mesh.fastd] : await facts.lowerInterfaces(mesh.batman);
    const meshMacs = (
      await Promise.all(meshIfaces.map((i) => facts.mac(i, 'network.mesh_interfaces')))
    ).filter((m): m is string => m !== undefined);
    const [gwl, tl] = await batctlRuns;
    const shared = await sharedFacts;

    const nodeinfo: JsonObject =
      compact({
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
      }) ?? {};
    const stats = `/sys/class/net/${mesh.batman}/statistics`;
    const counter = (name: string) => facts.counter(`${stats}/${name}`, 'traffic');
    const statistics: JsonObject =
      compact({
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
      }) ?? {};
    return { nodeinfo, statistics };
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

function gzip(value: JsonObject): Buffer {
  return gzipSync(JSON.stringify(value), { level: 9 });
}

function finite(n: number | undefined): number | undefined {
  return n !== undefined && Number.isFinite(n) ? n : undefined;
}

/** Drops undefined values and empty objects, so a missing item is absent rather than null. */
function compact(obj: JsonObject): JsonObject | undefined {
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
  return Object.keys(out).length === 0 ? undefined : out;
}
