import { TaskCommand, type TaskContext, type TaskOutcome } from '@ffphoton/core';
import { AlfredPublisher, zoneSummary } from '../../services/alfred-publisher.js';
import type { ZoneResult } from '../../services/node-zone.js';
import { alfredSettings } from '../../settings.js';

export default class AlfredZone extends TaskCommand<typeof AlfredZone, ZoneResult> {
  static override summary =
    'Build the DNS zone of node names from alfred nodeinfo, validate, install, reload';
  static override description =
    'Host names become unique DNS labels; only addresses inside alfred.zone.prefixes are published. The zone is checked with named-checkzone before it is installed (atomically, only when changed) and reloaded. Exit codes: 0 done; 5 done, but some records or nodes were refused (listed in problems); 3 named-checkzone rejected the zone (the old one stays); 69 no alfred socket answered; 2 no alfred.zone settings.';
  static override settings = [alfredSettings];

  static override examples = ['<%= config.bin %> alfred zone', '<%= config.bin %> alfred zone --dry-run'];

  protected async execute(ctx: TaskContext): Promise<TaskOutcome<ZoneResult>> {
    return new AlfredPublisher(ctx, ctx.settings.get(alfredSettings)).zone();
  }

  protected summarize(r: ZoneResult): string {
    return `alfred ${zoneSummary(r, this.flags['dry-run'])}`;
  }
}
