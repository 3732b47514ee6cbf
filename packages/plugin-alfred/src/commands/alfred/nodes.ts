import path from 'node:path';
import { PartialFailureError, TaskCommand, type TaskContext } from '@ffphoton/core';
import { AlfredType } from '../../services/alfred-client.js';
import { alfredClientFor } from '../../services/client-factory.js';
import { MeshDataSource, selectMeshes } from '../../services/mesh-data-source.js';
import { NodesExporter, type NodesResult } from '../../services/nodes-export.js';
import { RunStatusStore } from '../../services/run-status.js';
import { alfredSettings } from '../../settings.js';

export default class AlfredNodes extends TaskCommand<typeof AlfredNodes, NodesResult> {
  static override summary =
    'Write meshviewer nodes.json and nodelist.json from alfred nodeinfo and statistics';
  static override description =
    'Remembers when each node was first and last seen (alfred.nodes.stateFile, in the data dir) and drops nodes not seen for alfred.nodes.maxAgeSeconds. Every file is written atomically. Exit codes: 0 done; 5 done, but some records were refused (listed in problems); 69 no alfred socket answered; 2 bad settings.';
  static override settings = [alfredSettings];

  protected async execute(ctx: TaskContext): Promise<NodesResult> {
    const cfg = ctx.settings.get(alfredSettings);
    const meshes = selectMeshes(cfg.meshes, cfg.nodes.meshes, 'alfred.nodes.meshes');
    const source = new MeshDataSource(alfredClientFor(ctx, cfg));
    const [nodeinfo, statistics] = await Promise.all([
      source.read(meshes, AlfredType.nodeinfo),
      source.read(meshes, AlfredType.statistics),
    ]);
    const stateFile = path.isAbsolute(cfg.nodes.stateFile)
      ? cfg.nodes.stateFile
      : path.join(ctx.dataDir, cfg.nodes.stateFile);
    const result = await new NodesExporter(ctx.files, ctx.clock, ctx.logger).export(
      cfg.nodes,
      stateFile,
      nodeinfo,
      statistics,
    );
    await new RunStatusStore(ctx.files, ctx.dataDir).write('nodes', {
      time: ctx.clock.now().toISOString(),
      total: result.total,
      online: result.online,
      problems: result.problems.length,
    });
    if (result.problems.length > 0) {
      throw new PartialFailureError(
        `alfred nodes: ${result.total} node(s) written, ${result.problems.length} record(s) refused`,
        result.problems,
        result,
      );
    }
    return result;
  }

  protected summarize(r: NodesResult): string {
    return `alfred nodes: ${r.total} node(s), ${r.online} online, ${r.dropped.length} dropped`;
  }
}
