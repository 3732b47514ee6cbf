import { ConfigError, PartialFailureError, TaskCommand, type TaskContext } from '@ffphoton/core';
import { AlfredType } from '../../services/alfred-client.js';
import { alfredClientFor } from '../../services/client-factory.js';
import { MeshDataSource, selectMeshes } from '../../services/mesh-data-source.js';
import { NodeZoneUpdater, type ZoneResult } from '../../services/node-zone.js';
import { RunStatusStore } from '../../services/run-status.js';
import { alfredSettings } from '../../settings.js';

export default class AlfredZone extends TaskCommand<typeof AlfredZone, ZoneResult> {
  static override summary =
    'Build the DNS zone of node names from alfred nodeinfo, validate, install, reload';
  static override description =
    'Host names become unique DNS labels; only addresses inside alfred.zone.prefixes are published. The zone is checked with named-checkzone before it is installed (atomically, only when changed) and reloaded. Exit codes: 0 done; 5 done, but some records or nodes were refused (listed in problems); 3 named-checkzone rejected the zone (the old one stays); 69 no alfred socket answered; 2 no alfred.zone settings.';
  static override settings = [alfredSettings];

  protected async execute(ctx: TaskContext): Promise<ZoneResult> {
    const cfg = ctx.settings.get(alfredSettings);
    if (!cfg.zone) throw new ConfigError('not configured', { keyPath: 'alfred.zone' });
    const meshes = selectMeshes(cfg.meshes, cfg.zone.meshes, 'alfred.zone.meshes');
    const nodeinfo = await new MeshDataSource(alfredClientFor(ctx, cfg)).read(meshes, AlfredType.nodeinfo);
    const updater = new NodeZoneUpdater(ctx.shell, ctx.files, ctx.services, ctx.clock, ctx.logger);
    const result = await updater.update(cfg.zone, nodeinfo);
    await new RunStatusStore(ctx.files, ctx.dataDir).write('zone', {
      time: ctx.clock.now().toISOString(),
      zone: result.zone,
      serial: result.serial,
      names: result.entries.length,
      problems: result.problems.length,
    });
    if (result.problems.length > 0) {
      throw new PartialFailureError(
        `alfred zone ${result.zone}: ${result.entries.length} node(s) published, ${result.problems.length} refused`,
        result.problems,
        result,
      );
    }
    return result;
  }

  protected summarize(r: ZoneResult): string {
    const state = r.changed ? `updated to serial ${r.serial}` : `unchanged (serial ${r.serial})`;
    return `alfred zone ${r.zone}: ${r.entries.length} node(s), ${state}`;
  }
}
