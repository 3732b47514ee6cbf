import { Args, Flags, ReadOnlyTaskCommand, type TaskContext } from '@ffphoton/core';

import type { NodeRecords } from '../../services/alfred-records.js';
import { alfredClientFor } from '../../services/client-factory.js';
import { MeshDataSource, selectMeshes } from '../../services/mesh-data-source.js';
import { alfredSettings } from '../../settings.js';

export interface ReadResult {
  type: number;
  meshes: string[];
  /** Decoded JSON objects keyed by source MAC (alfred-json -z). */
  nodes: NodeRecords;
  problems: string[];
}

export default class AlfredRead extends ReadOnlyTaskCommand<typeof AlfredRead, ReadResult> {
  static override summary = 'Read one alfred data type as JSON keyed by MAC (what alfred-json -z did)';
  static override description =
    'Records that do not decode are warnings (listed in problems), like alfred-json. Exit codes: 0 read; 69 no alfred socket answered; 1 alfred failed; 2 bad type or mesh.';
  static override settings = [alfredSettings];
  static override args = {
    type: Args.integer({
      description: 'alfred data type (64-255), e.g. 158 nodeinfo, 159 statistics',
      required: true,
      min: 64,
      max: 255,
    }),
  };
  static override flags = {
    mesh: Flags.string({
      summary: 'Read this mesh (repeatable; default: every configured mesh).',
      multiple: true,
    }),
  };

  protected async execute(ctx: TaskContext): Promise<ReadResult> {
    const cfg = ctx.settings.get(alfredSettings);
    const meshes = selectMeshes(cfg.meshes, this.flags.mesh, '--mesh');
    const decoded = await new MeshDataSource(alfredClientFor(ctx, cfg)).read(meshes, this.args.type);
    const result: ReadResult = {
      type: this.args.type,
      meshes: meshes.map((m) => m.name),
      nodes: decoded.nodes,
      problems: decoded.problems.map((p) => p.message),
    };
    // Like alfred-json: a bad record is a warning, the good ones are still printed.
    for (const problem of result.problems) ctx.logger.warn(problem);
    return result;
  }

  protected summarize(r: ReadResult): string {
    const refused = r.problems.length > 0 ? `, ${r.problems.length} problem(s)` : '';
    return `alfred read ${r.type}: ${Object.keys(r.nodes).length} record(s)${refused}`;
  }

  protected override render(r: ReadResult): string[] {
    return [JSON.stringify(r.nodes, null, 2)];
  }
}
