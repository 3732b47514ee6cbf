import { formatTable, ReadOnlyTaskCommand, type TaskContext } from '@ffphoton/core';
import { type FleetSchedule, FleetScheduler } from '../../services/schedule/fleet-scheduler.js';
import { fleetSettings } from '../../settings.js';

export default class ScheduleShow extends ReadOnlyTaskCommand<typeof ScheduleShow, FleetSchedule> {
  static override summary = 'Show the fleet schedule: every job on every host, and any collision.';
  static override description =
    'Exit 0 without collisions, 5 when two git pushers share a minute or a weekday group overlaps (a bug worth reporting), 2 for bad fleet settings.';
  static override examples = [
    '<%= config.bin %> schedule show --config examples/community',
    '<%= config.bin %> schedule show --json',
  ];
  static override settings = [fleetSettings];

  protected async execute(ctx: TaskContext): Promise<FleetSchedule> {
    return new FleetScheduler(ctx.settings.get(fleetSettings)).schedule();
  }

  protected summarize(schedule: FleetSchedule): string {
    const collisions = schedule.collisions.length
      ? `${schedule.collisions.length} collisions`
      : 'no collisions';
    return `schedule: ${schedule.jobs.length} jobs on ${schedule.hosts.length} hosts, ${collisions}`;
  }

  protected override render(schedule: FleetSchedule): string[] {
    const hosts = schedule.hosts.map((h) => h.name);
    const rows = schedule.jobs.map((job) => [
      job.name,
      job.spread,
      ...hosts.map((host) => schedule.slots.find((s) => s.job === job.name && s.host === host)?.cron ?? '-'),
    ]);
    const roles = ['(roles)', '', ...schedule.hosts.map((h) => h.roles.join(',') || '-')];
    const lines = formatTable(['job', 'spread', ...hosts], [roles, ...rows]);
    for (const collision of schedule.collisions)
      lines.push(`collision (${collision.kind}): ${collision.detail}`);
    return lines;
  }
}
