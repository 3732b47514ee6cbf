import { gzipSync } from 'node:zlib';
import type { FileStore, Logger, Shell } from '@ffphoton/core';
import { UnavailableError } from '@ffphoton/core';
import type { AlfredSettings, MeshSettings } from '../settings.js';
import { type AlfredClient, AlfredType } from './alfred-client.js';
import type { JsonObject } from './alfred-records.js';
import { type MeshNodeData, NodeDataCollector } from './node-data.js';

export interface MeshAnnouncement {
  mesh: string;
  nodeId?: string;
  /** Both records were handed to alfred (false in dry-run and when the socket was missing). */
  pushed: boolean;
  nodeinfo: JsonObject;
  statistics: JsonObject;
  neighbours: JsonObject;
  /** Items that could not be read (left out of the records). */
  problems: string[];
  error?: string;
}

export interface AnnounceResult {
  meshes: MeshAnnouncement[];
}

/**
 * The successor of ffnord-alfred-announce: builds nodeinfo (158), statistics (159) and
 * neighbours (160, as gluon-alfred) for
 * every mesh (NodeDataCollector, shared with respondd), gzips them and hands them to alfred.
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
    const collected = await new NodeDataCollector(this.shell, this.files, this.cfg).collect(
      meshes,
      hostname,
      {
        neighbours: true,
      },
    );
    for (const problem of collected.sharedProblems) this.logger?.warn(problem);
    // The two pushes of every mesh run concurrently: this runs every minute.
    const results = await Promise.all(collected.meshes.map((data, i) => this.announceMesh(meshes[i], data)));
    return {
      meshes: results.map((r) => ({ ...r, problems: [...collected.sharedProblems, ...r.problems] })),
    };
  }

  private async announceMesh(mesh: MeshSettings, data: MeshNodeData): Promise<MeshAnnouncement> {
    const { nodeinfo, statistics } = data;
    const neighbours = data.neighbours ?? {};
    const announcement: MeshAnnouncement = {
      mesh: mesh.name,
      nodeId: nodeinfo.node_id as string | undefined,
      pushed: false,
      nodeinfo,
      statistics,
      neighbours,
      problems: data.problems,
    };
    for (const problem of data.problems)
      this.logger?.warn({ mesh: mesh.name }, `mesh ${mesh.name}: ${problem}`);
    try {
      if (nodeinfo.node_id === undefined) throw new UnavailableError(`${mesh.batman} has no MAC address`);
      await Promise.all([
        this.client.push(mesh.socket, AlfredType.nodeinfo, gzip(nodeinfo)),
        this.client.push(mesh.socket, AlfredType.statistics, gzip(statistics)),
        this.client.push(mesh.socket, AlfredType.neighbours, gzip(neighbours)),
      ]);
      announcement.pushed = !this.files.dryRun;
    } catch (error) {
      if (!(error instanceof UnavailableError)) throw error;
      announcement.error = error.message;
    }
    return announcement;
  }
}

function gzip(value: JsonObject): Buffer {
  return gzipSync(JSON.stringify(value), { level: 9 });
}
