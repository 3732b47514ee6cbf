import path from 'node:path';
import type { FileStore } from '@ffphoton/core';

/** The last announce, per mesh. */
export interface AnnounceStatus {
  time: string;
  meshes: { mesh: string; nodeId?: string; pushed: boolean; problems: number; error?: string }[];
}

/** The zone of the last run: what it installed, or why it failed. */
export type ZoneStatus =
  | { time: string; zone: string; serial: number; names: number; problems: number }
  | { time: string; zone: string; error: string };

/** The node lists of the last run: what they hold, or why the run failed. */
export type NodesStatus =
  | { time: string; total: number; online: number; problems: number }
  | { time: string; error: string };

/** What the last runs of announce, zone and nodes on this host left for the status page. */
export interface AlfredRunStatus {
  announce?: AnnounceStatus;
  zone?: ZoneStatus;
  nodes?: NodesStatus;
}

type Kind = keyof AlfredRunStatus;
const KINDS: Kind[] = ['announce', 'zone', 'nodes'];

/**
 * A few hundred bytes per command in `<dataDir>/alfred/last-<command>.json`, so the status page
 * never parses the node state (megabytes with 10,000 nodes) or asks alfred. One file per
 * command: announce and nodes may run at the same minute.
 */
export class RunStatusStore {
  constructor(
    private readonly files: FileStore,
    private readonly dataDir: string,
  ) {}

  private file(kind: Kind): string {
    return path.join(this.dataDir, 'alfred', `last-${kind}.json`);
  }

  async write<K extends Kind>(kind: K, status: NonNullable<AlfredRunStatus[K]>): Promise<void> {
    // A dry run announced and wrote nothing: the status keeps describing the last real run.
    if (this.files.dryRun) return;
    await this.files.writeAtomic(this.file(kind), `${JSON.stringify(status)}\n`, { mode: 0o644 });
  }

  /** Missing or damaged files are left out (the page then says "no run yet"). */
  async read(): Promise<AlfredRunStatus> {
    const texts = await Promise.all(KINDS.map((kind) => this.files.readTextIfExists(this.file(kind))));
    const status: AlfredRunStatus = {};
    KINDS.forEach((kind, i) => {
      try {
        const value = JSON.parse(texts[i] ?? 'null');
        if (value && typeof value === 'object' && typeof value.time === 'string') status[kind] = value;
      } catch {
        // a damaged status file only costs that line of the page
      }
    });
    return status;
  }
}
