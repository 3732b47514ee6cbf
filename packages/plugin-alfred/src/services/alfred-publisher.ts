import path from 'node:path';
import {
  ConfigError,
  changeDone,
  messageOf,
  partial,
  type TaskContext,
  type TaskOutcome,
  UnavailableError,
} from '@ffphoton/core';
import type { AlfredSettings, MeshSettings, ZoneSettings } from '../settings.js';
import { AlfredType } from './alfred-client.js';
import type { DecodedRecords } from './alfred-records.js';
import { alfredClientFor } from './client-factory.js';
import { MeshDataSource, mergeMeshReads, selectMeshes, unionOfMeshes } from './mesh-data-source.js';
import { NodeZoneUpdater, type ZoneResult } from './node-zone.js';
import { NodesExporter, type NodesResult } from './nodes-export.js';
import { type AlfredRunStatus, RunStatusStore } from './run-status.js';

/** `photon alfred sync --json` result: both outputs of one alfred read. */
export interface SyncResult {
  /** Absent when alfred.zone is not configured. */
  zone?: ZoneResult;
  nodes: NodesResult;
}

/** The one-line outcome of each output (the commands' summaries are built from these). */
export function zoneSummary(r: ZoneResult, dryRun: boolean): string {
  const state = r.changed
    ? `${changeDone('update', dryRun)} to serial ${r.serial}`
    : `unchanged (serial ${r.serial})`;
  return `zone ${r.zone}: ${r.entries.length} node(s), ${state}`;
}

export function nodesSummary(r: NodesResult): string {
  return `nodes: ${r.total} node(s), ${r.online} online, ${r.dropped.length} dropped`;
}

/** One output of a run, for the exit-5 message and problem list. */
interface Part {
  name: 'zone' | 'nodes';
  /** What was done and how much was refused. */
  outcome: string;
  problems: string[];
}

const zonePart = (r: ZoneResult): Part => ({
  name: 'zone',
  outcome: `zone ${r.zone}: ${r.entries.length} node(s) published, ${r.problems.length} refused`,
  problems: r.problems,
});

const nodesPart = (r: NodesResult): Part => ({
  name: 'nodes',
  outcome: `nodes: ${r.total} node(s) written, ${r.problems.length} record(s) refused`,
  problems: r.problems,
});

/**
 * The result, or a partial outcome (exit 5) when any output refused inputs: every problem
 * (prefixed with its output's name when `named`: sync's). `title` starts the message
 * (`alfred`, `alfred sync:`).
 */
function withRefusals<R>(title: string, parts: Part[], result: R, named = false): TaskOutcome<R> {
  if (parts.every((p) => p.problems.length === 0)) return result;
  const problems = parts.flatMap((p) => (named ? p.problems.map((m) => `${p.name}: ${m}`) : p.problems));
  return partial(result, problems, `${title} ${parts.map((p) => p.outcome).join('; ')}`);
}

/**
 * The map server's outputs of alfred: the DNS zone of node names (`zone`) and meshviewer's
 * nodes.json + nodelist.json (`nodes`), each followed by its run status for the status page
 * (`last-zone.json`, `last-nodes.json`). `sync` makes both from one read of every mesh.
 */
export class AlfredPublisher {
  private readonly source: MeshDataSource;
  private readonly status: RunStatusStore;

  constructor(
    private readonly ctx: TaskContext,
    private readonly cfg: AlfredSettings,
  ) {
    this.source = new MeshDataSource(alfredClientFor(ctx, cfg), cfg.limits);
    this.status = new RunStatusStore(ctx.files, ctx.dataDir);
  }

  /** nodeinfo (158) of alfred.zone.meshes → the zone. Exit 5 with refused records or nodes. */
  async zone(): Promise<TaskOutcome<ZoneResult>> {
    const zone = this.cfg.zone;
    if (!zone) throw new ConfigError('not configured', { keyPath: 'alfred.zone' });
    const meshes = this.zoneMeshes(zone);
    const result = await this.publishZone(zone, async () => this.source.read(meshes, AlfredType.nodeinfo));
    return withRefusals('alfred', [zonePart(result)], result);
  }

  /** nodeinfo and statistics (159) of alfred.nodes.meshes → nodes.json and nodelist.json. */
  async nodes(): Promise<TaskOutcome<NodesResult>> {
    const meshes = this.nodesMeshes();
    const result = await this.publishNodes(async () =>
      Promise.all([
        this.source.read(meshes, AlfredType.nodeinfo),
        this.source.read(meshes, AlfredType.statistics),
      ]),
    );
    return withRefusals('alfred', [nodesPart(result)], result);
  }

  /**
   * The zone (when configured) and the node lists from one read: each mesh's nodeinfo once
   * (the union of both mesh selections) and statistics once, each output merged from its own
   * meshes. Both outputs run to the end before any error is raised: a zone named-checkzone
   * rejects (3) or that no alfred of its meshes answered (69) still leaves the node lists
   * written, and then that error is thrown; problems of both → one partial outcome (5).
   */
  async sync(): Promise<TaskOutcome<SyncResult>> {
    const zone = this.cfg.zone;
    const zoneMeshes = zone ? this.zoneMeshes(zone) : [];
    const nodesMeshes = this.nodesMeshes();
    const nodeinfo = this.source.readEach(unionOfMeshes(zoneMeshes, nodesMeshes), AlfredType.nodeinfo);
    const statistics = this.source.readEach(nodesMeshes, AlfredType.statistics);
    // The zone starts as soon as nodeinfo is decoded, the node lists once statistics is too;
    // the zone's named-checkzone (a child process) overlaps the node lists' CPU work here.
    const zoneRun = zone
      ? this.publishZone(zone, async () => mergeMeshReads(zoneMeshes, await nodeinfo))
      : Promise.resolve(undefined);
    const nodesRun = this.publishNodes(async () => {
      const [info, stats] = await Promise.all([nodeinfo, statistics]);
      return [mergeMeshReads(nodesMeshes, info), mergeMeshReads(nodesMeshes, stats)];
    });
    const [zoneDone, nodesDone] = await Promise.allSettled([zoneRun, nodesRun]);
    const failed = [zoneDone, nodesDone].flatMap((d) => (d.status === 'rejected' ? [d.reason] : []));
    if (failed.length === 2 && failed.every((e) => e instanceof UnavailableError)) {
      // Typically the same unreachable alfred for both: one message.
      throw new UnavailableError([...new Set(failed.map(messageOf))].join('; '));
    }
    const parts = [
      ...(zoneDone.status === 'fulfilled' && zoneDone.value ? [zonePart(zoneDone.value)] : []),
      ...(nodesDone.status === 'fulfilled' ? [nodesPart(nodesDone.value)] : []),
    ];
    if (failed.length > 0) {
      // The exit code is the failure's; what the other output refused still goes to the log.
      for (const part of parts)
        for (const p of part.problems) this.ctx.logger.warn({ problem: p }, `${part.name}: ${p}`);
      for (const error of failed.slice(1)) this.ctx.logger.error(messageOf(error));
      throw failed[0];
    }
    const result: SyncResult = {
      ...(zoneDone.status === 'fulfilled' && zoneDone.value ? { zone: zoneDone.value } : {}),
      nodes: (nodesDone as PromiseFulfilledResult<NodesResult>).value,
    };
    return withRefusals('alfred sync:', parts, result, true);
  }

  private zoneMeshes(zone: ZoneSettings): MeshSettings[] {
    return selectMeshes(this.cfg.meshes, zone.meshes, 'alfred.zone.meshes');
  }

  private nodesMeshes(): MeshSettings[] {
    return selectMeshes(this.cfg.meshes, this.cfg.nodes.meshes, 'alfred.nodes.meshes');
  }

  /**
   * Reads (`read`), builds and installs the zone, then leaves its status for the status page: the
   * result, or the error of a run that failed anywhere on the way (shown as failed there).
   */
  private async publishZone(zone: ZoneSettings, read: () => Promise<DecodedRecords>): Promise<ZoneResult> {
    const { ctx } = this;
    try {
      const updater = new NodeZoneUpdater(ctx.shell, ctx.files, ctx.services, ctx.clock, ctx.logger);
      const result = await updater.update(zone, await read());
      await this.status.write('zone', {
        time: ctx.clock.now().toISOString(),
        zone: result.zone,
        serial: result.serial,
        names: result.entries.length,
        problems: result.problems.length,
      });
      return result;
    } catch (error) {
      await this.recordFailure('zone', {
        time: ctx.clock.now().toISOString(),
        zone: zone.name,
        error: messageOf(error),
      });
      throw error;
    }
  }

  /** nodeinfo and statistics (`read`) → the node lists, then their status (as publishZone). */
  private async publishNodes(read: () => Promise<[DecodedRecords, DecodedRecords]>): Promise<NodesResult> {
    const { ctx, cfg } = this;
    try {
      const [nodeinfo, statistics] = await read();
      const stateFile = path.isAbsolute(cfg.nodes.stateFile)
        ? cfg.nodes.stateFile
        : path.join(ctx.dataDir, cfg.nodes.stateFile);
      const exporter = new NodesExporter(ctx.files, ctx.clock, ctx.logger);
      const result = await exporter.export(cfg.nodes, stateFile, nodeinfo, statistics);
      await this.status.write('nodes', {
        time: ctx.clock.now().toISOString(),
        total: result.total,
        online: result.online,
        problems: result.problems.length,
      });
      return result;
    } catch (error) {
      await this.recordFailure('nodes', { time: ctx.clock.now().toISOString(), error: messageOf(error) });
      throw error;
    }
  }

  /** The failure's status; a status that cannot be written must not hide the failure itself. */
  private async recordFailure<K extends 'zone' | 'nodes'>(
    kind: K,
    status: NonNullable<AlfredRunStatus[K]>,
  ): Promise<void> {
    await this.status
      .write(kind, status)
      .catch((error: unknown) => this.ctx.logger.warn(`alfred ${kind} status: ${messageOf(error)}`));
  }
}
