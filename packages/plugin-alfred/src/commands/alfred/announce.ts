import {
  Flags,
  partial,
  TaskCommand,
  type TaskContext,
  type TaskOutcome,
  UnavailableError,
} from '@ffphoton/core';

import { type AnnounceResult, Announcer } from '../../services/announcer.js';
import { alfredClientFor } from '../../services/client-factory.js';
import { selectMeshes } from '../../services/mesh-data-source.js';
import { RunStatusStore } from '../../services/run-status.js';
import { alfredSettings } from '../../settings.js';

export default class AlfredAnnounce extends TaskCommand<typeof AlfredAnnounce, AnnounceResult> {
  static override summary =
    'Announce this gateway: nodeinfo (158), statistics (159) and neighbours (160) to alfred, per mesh';
  static override description =
    'Run every minute from cron. Items that cannot be read (a missing /sys counter, batctl without batman-adv) are left out and listed in problems. Exit codes: 0 announced on every mesh; 5 some meshes failed; 69 no alfred socket reachable; 2 bad settings.';
  static override settings = [alfredSettings];
  static override flags = {
    mesh: Flags.string({
      summary: 'Announce only this mesh (repeatable; default: every configured mesh).',
      multiple: true,
    }),
  };

  static override examples = [
    '<%= config.bin %> alfred announce  # every minute from cron',
    '<%= config.bin %> alfred announce --dry-run --log-level info',
  ];

  protected async execute(ctx: TaskContext): Promise<TaskOutcome<AnnounceResult>> {
    const cfg = ctx.settings.get(alfredSettings);
    const meshes = selectMeshes(cfg.meshes, this.flags.mesh, '--mesh');
    const announcer = new Announcer(ctx.shell, ctx.files, alfredClientFor(ctx, cfg), cfg, ctx.logger);
    const result = await announcer.announce(meshes, ctx.host);
    await new RunStatusStore(ctx.files, ctx.dataDir).write('announce', {
      time: ctx.clock.now().toISOString(),
      meshes: result.meshes.map((m) => ({
        mesh: m.mesh,
        nodeId: m.nodeId,
        pushed: m.pushed,
        problems: m.problems.length,
        ...(m.error ? { error: m.error } : {}),
      })),
    });
    const failed = result.meshes.filter((m) => m.error !== undefined);
    if (failed.length === result.meshes.length)
      throw new UnavailableError(failed.map((m) => `mesh ${m.mesh}: ${m.error}`).join('; '));
    if (failed.length === 0) return result;
    return partial(
      result,
      failed.map((m) => `mesh ${m.mesh}: ${m.error}`),
      `alfred announce: ${failed.length} of ${result.meshes.length} mesh(es) failed`,
    );
  }

  protected summarize(r: AnnounceResult): string {
    const problems = r.meshes.reduce((n, m) => n + m.problems.length, 0);
    return `alfred announce: ${r.meshes.length} mesh(es) ${this.done('announce')}${problems ? `, ${problems} item(s) unreadable` : ''}`;
  }
}
