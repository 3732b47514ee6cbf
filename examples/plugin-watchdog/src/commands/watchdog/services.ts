import { changeClaim, partial, TaskCommand, type TaskContext, type TaskOutcome } from '@ffphoton/core';
import { type ServiceState, ServiceWatchdog } from '#src/services/service-watchdog.js';
import { watchdogSettings } from '#src/settings.js';

export default class WatchdogServices extends TaskCommand<typeof WatchdogServices, ServiceState[]> {
  static override summary = 'Check bind, radvd … and restart what is down.';
  static override description =
    'Exit 0 when every service is up, 5 when one was down and has been restarted (the failure mail tells the admins), ' +
    '1 when a restart did not bring it back, 2 for bad settings.';
  static override settings = [watchdogSettings];

  static override examples = [
    '<%= config.bin %> watchdog services',
    '<%= config.bin %> watchdog services --dry-run',
  ];

  protected async execute(ctx: TaskContext): Promise<TaskOutcome<ServiceState[]>> {
    const states = await new ServiceWatchdog(ctx.shell, ctx.services, ctx.logger).check(
      ctx.settings.get(watchdogSettings).services,
    );
    const restarted = states.filter((s) => s.state === 'restarted');
    if (restarted.length === 0) return states;
    // A restart is worth a mail: report it as a partial success (exit 5).
    return partial(
      states,
      restarted.map((s) => `${s.name} was down`),
      `${changeClaim('restart', ctx.dryRun)} ${restarted.map((s) => s.unit).join(', ')}`,
    );
  }

  protected summarize(states: ServiceState[]): string {
    return `watchdog: ${states.length} services up`;
  }
}
