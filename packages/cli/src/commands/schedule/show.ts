import { formatTable, ReadOnlyTaskCommand, type TaskContext } from '@ffphoton/core';
import { WEEKDAY_NAMES } from '../../services/schedule/cron.js';
import type { FleetSchedule } from '../../services/schedule/fleet-scheduler.js';
import { pinnedSchedule } from '../../services/schedule/pinned-schedule.js';
import { fleetSettings } from '../../settings.js';

export default class ScheduleShow extends ReadOnlyTaskCommand<typeof ScheduleShow, FleetSchedule> {
  static override summary = 'Show the fleet schedule: every job on every host, and any collision.';
  static override description =
    'Below the table: the load per minute of the hour (minute-spread starts) and per weekday (hosts of each weekday group). ' +
    'Hosts that share a minute start seconds apart: `sleep N;` in the crontab line, second N in the timer. ' +
    'A job with `cadence: always` (a long-running service such as `respondd serve`) shows `always` on its hosts. ' +
    'With schedule.pins beside the fleet settings (`photon schedule pin` writes it), the weekday groups keep their pinned days: the last lines say how many hosts moved from their pins; without it, weekdays are spread stateless. ' +
    'Exit 0 without collisions, 5 when two git pushers share a minute or a weekday group overlaps (a bug worth reporting), 2 for bad fleet settings.';
  static override examples = [
    '<%= config.bin %> schedule show --config examples/community',
    '<%= config.bin %> schedule show --json',
  ];
  static override settings = [fleetSettings];

  protected async execute(ctx: TaskContext): Promise<FleetSchedule> {
    return pinnedSchedule(ctx, ctx.settings.get(fleetSettings)).schedule;
  }

  protected summarize(schedule: FleetSchedule): string {
    const collisions = schedule.collisions.length
      ? `${schedule.collisions.length} collisions`
      : 'no collisions';
    return `schedule: ${schedule.jobs.length} jobs on ${schedule.hosts.length} hosts, ${collisions}, ${pinsSummary(schedule)}`;
  }

  protected override render(schedule: FleetSchedule): string[] {
    const hosts = schedule.hosts.map((h) => h.name);
    const rows = schedule.jobs.map((job) => [
      job.name,
      job.spread,
      ...hosts.map((host) => {
        if (job.always) return job.hosts.includes(host) ? 'always' : '-';
        const slot = schedule.slots.find((s) => s.job === job.name && s.host === host);
        return slot ? `${slot.cron}${slot.delaySeconds ? ` +${slot.delaySeconds}s` : ''}` : '-';
      }),
    ]);
    const roles = ['(roles)', '', ...schedule.hosts.map((h) => h.roles.join(',') || '-')];
    const lines = formatTable(['job', 'spread', ...hosts], [roles, ...rows]);
    lines.push(...loadLines(schedule), ...pinLines(schedule));
    for (const collision of schedule.collisions)
      lines.push(`collision (${collision.kind}): ${collision.detail}`);
    return lines;
  }
}

function loadLines({ load }: FleetSchedule): string[] {
  const lines: string[] = [];
  const busiest = Math.max(...load.minutes);
  if (busiest > 0) {
    const at = load.minutes.flatMap((n, m) => (n === busiest ? [`:${String(m).padStart(2, '0')}`] : []));
    const idle = load.minutes.filter((n) => n === 0).length;
    lines.push(
      `load per minute: busiest ${at.join(' ')} with ${busiest} minute-spread start(s), ${idle} minute(s) without; ` +
        (load.maxPerMinute > 1
          ? `up to ${load.maxPerMinute} share a minute, starting seconds apart (+Ns)`
          : 'no two share a minute'),
    );
  }
  for (const { group, hosts } of load.weekdays)
    lines.push(
      `load per weekday (${group}): ${hosts.map((n, day) => `${WEEKDAY_NAMES[day]} ${n}`).join(', ')}`,
    );
  return lines;
}

/** Pinned weekday groups: how many hosts left their pins (the count issue 17 bounds). */
function pinsSummary({ pins, weekdayGroups }: FleetSchedule): string {
  if (!pins) return 'weekdays unpinned';
  const moved = weekdayGroups.reduce((sum, g) => sum + (g.pins?.moved.length ?? 0), 0);
  return `weekdays pinned, ${moved} host(s) moved from their pins`;
}

function pinLines({ pins, weekdayGroups }: FleetSchedule): string[] {
  if (weekdayGroups.length === 0) return [];
  if (!pins)
    return [
      'pins: none (weekdays spread stateless; `photon schedule pin` writes schedule.pins to keep them)',
    ];
  return weekdayGroups.map(({ group, pins: used }) => {
    if (!used)
      return `pins (${group}): not in ${pins.file} (spread stateless; \`photon schedule pin\` adds it)`;
    const names = (hosts: string[]) => (hosts.length ? ` (${hosts.join(', ')})` : '');
    return (
      `pins (${group}): from ${pins.file}, ${used.moved.length} host(s) moved from their pins${names(used.moved)}, ` +
      `${used.added.length} new${names(used.added)}`
    );
  });
}
