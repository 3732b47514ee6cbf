import { changeClaim, PartialFailureError, TaskCommand, type TaskContext } from '@ffphoton/core';
import { type ServiceState, ServiceWatchdog } from '../../services/service-watchdog.js';
import { watchdogSettings } from '../../settings.js';

export default class WatchdogServices extends TaskCommand<typeof WatchdogServices, ServiceState[]> {
  static override summary = 'Check bind, radvd … and restart what is down.';
  static override description =
    'Exit 0 when every service is up, 5 when one was down and has been restarted (the failure mail tells the admins), ' +
    '1 when a restart did not bring it back, 2 for bad settings.';
  static override settings = [watchdogSettings];

  protected async execute(ctx: TaskContext): Promise<ServiceState[]> {
    const states = await new ServiceWatchdog(ctx.shell, ctx.services, ctx.logger).check(
      ctx.settings.get(watchdogSettings).services,
    );
    const restarted = states.filter((s) => s.state === 'restarted');
    if (restarted.length) {
      // A restart is worth a mail: report it as a partial failure.
      throw new PartialFailureError(
        `${changeClaim('restart', ctx.dryRun)} ${restarted.map((s) => s.unit).join(', ')}`,
        restarted.map((s) => `${s.name} was down`),
        states,
      );
    }
    return states;
  }

  protected summarize(states: ServiceState[]): string {
    return `watchdog: ${states.length} services up`;
  }
}
