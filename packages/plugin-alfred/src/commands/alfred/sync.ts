import { TaskCommand, type TaskContext, type TaskOutcome } from '@ffphoton/core';
import {
  AlfredPublisher,
  nodesSummary,
  type SyncResult,
  zoneSummary,
} from '../../services/alfred-publisher.js';
import { alfredSettings } from '../../settings.js';

export default class AlfredSync extends TaskCommand<typeof AlfredSync, SyncResult> {
  static override summary =
    'zone + nodes in one run: read nodeinfo and statistics once, write the zone and nodes.json';
  static override description =
    "The map server cron job: each mesh's nodeinfo (158) and statistics (159) are read and decoded once, then the zone (only when alfred.zone is configured; as `alfred zone`) and nodes.json/nodelist.json (as `alfred nodes`) are written from them, each from its own meshes (alfred.zone.meshes, alfred.nodes.meshes). Both outputs are finished before any error is reported. Exit codes: 0 done; 5 done, but some records or nodes were refused (problems of both, prefixed zone: or nodes:); 3 named-checkzone rejected the zone (the old one stays; the node lists were still written); 69 no alfred socket of an output's meshes answered (an output whose meshes answered was still written); 2 bad settings.";
  static override settings = [alfredSettings];

  static override examples = [
    "<%= config.bin %> alfred sync  # the map server's cron job",
    '<%= config.bin %> alfred sync --json',
  ];

  protected async execute(ctx: TaskContext): Promise<TaskOutcome<SyncResult>> {
    return new AlfredPublisher(ctx, ctx.settings.get(alfredSettings)).sync();
  }

  protected summarize(r: SyncResult): string {
    return `alfred sync: ${[...(r.zone ? [zoneSummary(r.zone, this.flags['dry-run'])] : []), nodesSummary(r.nodes)].join('; ')}`;
  }
}
