import { partial, TaskCommand, type TaskContext, type TaskOutcome } from '@ffphoton/core';
import { MapExporter, type MapResult } from '../../services/meshviewer-export.js';
import { alfredSettings } from '../../settings.js';

export default class MapWrite extends TaskCommand<typeof MapWrite, MapResult> {
  static override summary =
    'Write meshviewer.json and graph.json (and nodes.json v2) from respondd or alfred';
  static override description =
    'The map server job (what yanic does for meshviewer): collects nodeinfo, statistics and neighbours — from respondd (alfred.map.targets) or alfred (158, 159, 160) as alfred.map.source says — remembers first/last seen (alfred.map.stateFile) and writes meshviewer.json (nodes and links), graph.json and, when alfred.map.nodesFile is set, nodes.json v2. Exit codes: 0 written; 5 written, but some records were refused (listed in problems); 69 no node answered; 2 bad settings.';
  static override settings = [alfredSettings];

  static override examples = ['<%= config.bin %> map write', '<%= config.bin %> map write --dry-run'];

  protected async execute(ctx: TaskContext): Promise<TaskOutcome<MapResult>> {
    const exporter = new MapExporter(ctx, ctx.settings.get(alfredSettings));
    const result = await exporter.export(await exporter.collect());
    for (const problem of result.problems) ctx.logger.warn(`map: ${problem}`);
    if (result.problems.length === 0) return result;
    return partial(result, result.problems, `map write: ${result.problems.length} record(s) refused`);
  }

  protected summarize(r: MapResult): string {
    return `map write: ${r.total} node(s), ${r.online} online, ${r.links} link(s) from ${r.source}`;
  }
}
