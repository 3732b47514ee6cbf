import { ConfigError, TaskCommand, type TaskContext } from '@ffphoton/core';
import type { WeekdayGroup } from '../../services/schedule/fleet-scheduler.js';
import { pinnedSchedule } from '../../services/schedule/pinned-schedule.js';
import { formatSchedulePins } from '../../services/schedule/schedule-pins.js';
import { fleetSettings } from '../../settings.js';

export interface PinResult {
  /** The pins file (a task path: inside `--root`). */
  file: string;
  changed: boolean;
  /** Whether a pins file was read; without one, the pins start from the stateless spread. */
  hadPins: boolean;
  groups: WeekdayGroup[];
}

export default class SchedulePin extends TaskCommand<typeof SchedulePin, PinResult> {
  static override summary =
    "Pin the weekday groups' days in schedule.pins, so a new or leaving host moves at most one other.";
  static override description =
    'Writes schedule.pins beside the settings file that lists fleet.hosts: for each weekday group (`spread: weekday`), each host and its weekdays (0 = Sunday). ' +
    'Commit it with the fleet settings. `schedule show`, `crontab` and `systemd` then keep every pinned day while the limits hold (at most ⌈n/7⌉ hosts a day, every day covered) and place only new hosts; ' +
    'a join or leave moves at most one pinned host. Without the file, weekdays are spread stateless (a join may move several hosts). ' +
    'Run it again after changing fleet.hosts: it keeps the pins and records the new hosts; pins naming an unknown host or a day outside 0–6 are dropped with a warning. ' +
    'Exit 2 for bad fleet settings or a malformed pins file (naming file, line and key), 1 when the file cannot be written.';
  static override examples = [
    '<%= config.bin %> schedule pin --config examples/community',
    '<%= config.bin %> schedule pin --config examples/community --dry-run',
    '<%= config.bin %> schedule pin --json',
  ];
  static override settings = [fleetSettings];

  protected async execute(ctx: TaskContext): Promise<PinResult> {
    const { schedule, pinsFile } = pinnedSchedule(ctx, ctx.settings.get(fleetSettings));
    if (pinsFile === undefined)
      throw new ConfigError('no settings file lists the fleet: nowhere to write schedule.pins beside it', {
        keyPath: 'fleet.hosts',
      });
    const text = formatSchedulePins(
      schedule.weekdayGroups.map(({ group, days }) => ({ group, days: new Map(Object.entries(days)) })),
    );
    const { changed } = await ctx.files.writeIfChanged(pinsFile, text);
    return { file: pinsFile, changed, hadPins: schedule.pins !== undefined, groups: schedule.weekdayGroups };
  }

  protected summarize(r: PinResult): string {
    const hosts = r.groups.reduce((sum, g) => sum + Object.keys(g.days).length, 0);
    const what = `${hosts} host(s) of ${r.groups.length} weekday group(s) in ${r.file}`;
    return `schedule pin: ${what} ${r.changed ? this.done('write') : 'up to date'}`;
  }

  protected override render(r: PinResult): string[] {
    return r.groups.map(({ group, days }) => {
      const hosts = Object.entries(days).map(([host, list]) => `${host} ${list.join(',')}`);
      return `${group}: ${hosts.join(', ') || 'no hosts'}`;
    });
  }
}
