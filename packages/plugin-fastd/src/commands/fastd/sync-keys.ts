import { formatTable, TaskCommand, type TaskContext, type TaskOutcome } from '@ffphoton/core';
import { type KeySyncResult, KeySyncService } from '../../services/key-sync-service.js';
import { fastdSettings } from '../../settings.js';

export default class FastdSyncKeys extends TaskCommand<typeof FastdSyncKeys, KeySyncResult> {
  static override summary =
    'Sync peer key files from the key repository into the peers directory (validated)';
  static override description =
    'Exit codes: 0 done; 5 some peer files were refused (forbidden statement, bad or duplicate key) or a repository failed, the rest synced; 2 no instance has a peersRepo.';
  static override settings = [fastdSettings];

  static override examples = [
    '<%= config.bin %> fastd sync-keys',
    '<%= config.bin %> fastd sync-keys --dry-run --log-level info',
  ];

  protected async execute(ctx: TaskContext): Promise<TaskOutcome<KeySyncResult>> {
    const cfg = ctx.settings.get(fastdSettings);
    return new KeySyncService(ctx.git, ctx.files, ctx.services, ctx.clock).sync(cfg);
  }

  protected summarize(r: KeySyncResult): string {
    return `fastd sync-keys: ${r.changed} of ${r.instances.length} instance(s) ${this.done('change')}`;
  }

  protected override render(r: KeySyncResult): string[] {
    return formatTable(
      ['instance', 'keys', 'additions', 'updates', 'removals', 'refused', 'SIGHUP'],
      r.instances.map((i) =>
        [
          i.instance,
          i.keys,
          i.added.length,
          i.updated.length,
          i.removed.length,
          i.refused.length,
          i.signalled ? 'yes' : 'no',
        ].map(String),
      ),
    );
  }
}
