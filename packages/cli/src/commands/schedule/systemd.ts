import { Flags, TaskCommand, type TaskContext } from '@ffphoton/core';
import { pinnedSchedule } from '../../services/schedule/pinned-schedule.js';
import {
  type SystemdWriteResult,
  systemdUnits,
  writeSystemdUnits,
} from '../../services/schedule/systemd-units.js';
import { resolveFleetHost } from '../../services/schedule/this-host.js';
import { fleetSettings } from '../../settings.js';

export interface SystemdResult extends SystemdWriteResult {
  host: string;
  dir: string;
}

export default class ScheduleSystemd extends TaskCommand<typeof ScheduleSystemd, SystemdResult> {
  static override summary = "Write this host's jobs as systemd .service and .timer units.";
  static override description =
    'Writes photon-<job>.service and photon-<job>.timer into --out and removes generated units of jobs the host no longer runs. ' +
    'Enable them with `systemctl daemon-reload && systemctl enable --now photon-<job>.timer`. ' +
    'A job with `cadence: always` gets a Type=simple service restarted on failure and no timer: `systemctl enable --now photon-<job>.service`. ' +
    'Exit 2 for bad fleet settings.';
  static override examples = [
    '<%= config.bin %> schedule systemd --out /etc/systemd/system',
    '<%= config.bin %> schedule systemd --host Spinat --out units --dry-run',
  ];
  static override settings = [fleetSettings];
  static override flags = {
    host: Flags.string({ summary: 'The fleet host (default: fleet.self, else this host name).' }),
    out: Flags.string({ summary: 'Directory for the unit files.', required: true }),
  };

  protected async execute(ctx: TaskContext): Promise<SystemdResult> {
    const fleet = ctx.settings.get(fleetSettings);
    const { schedule } = pinnedSchedule(ctx, fleet);
    const host = resolveFleetHost(fleet, this.flags.host, ctx.host);
    const written = await writeSystemdUnits(ctx.files, this.flags.out, systemdUnits(schedule, host, fleet));
    return { host, dir: this.flags.out, ...written };
  }

  protected summarize(r: SystemdResult): string {
    const changed = r.units.filter((u) => u.changed).length;
    return `schedule systemd: ${r.units.length} units for ${r.host} in ${r.dir}, ${changed} ${this.done('change')}, ${r.removed.length} ${this.done('remove')}`;
  }
}
