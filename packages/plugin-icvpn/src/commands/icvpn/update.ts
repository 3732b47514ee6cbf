import { TaskCommand, type TaskContext, type TaskOutcome } from '@ffphoton/core';
import { IcvpnUpdate, summarizeUpdate, type UpdateResult } from '../../services/icvpn-update.js';
import { icvpnSettings } from '../../settings.js';

export default class IcvpnUpdateCommand extends TaskCommand<typeof IcvpnUpdateCommand, UpdateResult> {
  static override summary =
    'Pull icvpn-meta and the tinc repository, regenerate every configured output, reload what changed';
  static override description =
    'One run, one summary line. Exit codes: 0 done; 1 failed; 2 bad settings; 3 a generated file was rejected by its validator (old file kept, the others installed); 5 some community files were left out.';
  static override settings = [icvpnSettings];

  static override examples = [
    '<%= config.bin %> icvpn update  # pull, regenerate every output, reload what changed',
    '<%= config.bin %> icvpn update --dry-run --log-level info',
  ];

  protected async execute(ctx: TaskContext): Promise<TaskOutcome<UpdateResult>> {
    const settings = ctx.settings.get(icvpnSettings);
    return new IcvpnUpdate(ctx.shell, ctx.files, ctx.git, ctx.logger).run(settings, {
      outputs: settings.outputs,
    });
  }

  protected summarize(r: UpdateResult): string {
    return summarizeUpdate(r, this.flags['dry-run']);
  }
}
