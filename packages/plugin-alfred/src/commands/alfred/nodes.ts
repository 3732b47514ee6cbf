import { TaskCommand, type TaskContext, type TaskOutcome } from '@ffphoton/core';
import { AlfredPublisher, nodesSummary } from '../../services/alfred-publisher.js';
import type { NodesResult } from '../../services/nodes-export.js';
import { alfredSettings } from '../../settings.js';

export default class AlfredNodes extends TaskCommand<typeof AlfredNodes, NodesResult> {
  static override summary =
    'Write meshviewer nodes.json and nodelist.json from alfred nodeinfo and statistics';
  static override description =
    'Remembers when each node was first and last seen (alfred.nodes.stateFile, in the data dir) and drops nodes not seen for alfred.nodes.maxAgeSeconds. Every file is written atomically. Exit codes: 0 done; 5 done, but some records were refused (listed in problems); 69 no alfred socket answered; 2 bad settings.';
  static override settings = [alfredSettings];

  static override examples = ['<%= config.bin %> alfred nodes', '<%= config.bin %> alfred nodes --dry-run'];

  protected async execute(ctx: TaskContext): Promise<TaskOutcome<NodesResult>> {
    return new AlfredPublisher(ctx, ctx.settings.get(alfredSettings)).nodes();
  }

  protected summarize(r: NodesResult): string {
    return `alfred ${nodesSummary(r)}`;
  }
}
