import { Flags, TaskCommand, type TaskContext } from '@ffphoton/core';
import { CrontabInstaller, crontabLines } from '../../services/schedule/crontab.js';
import { pinnedSchedule } from '../../services/schedule/pinned-schedule.js';
import { resolveFleetHost } from '../../services/schedule/this-host.js';
import { fleetSettings } from '../../settings.js';

export interface CrontabResult {
  host: string;
  lines: string[];
  installed: boolean;
  changed: boolean;
}

export default class ScheduleCrontab extends TaskCommand<typeof ScheduleCrontab, CrontabResult> {
  static override summary =
    "Print this host's crontab lines, or install them between marker lines (--install).";
  static override description =
    'Every job logs to <fleet.logDir>/<job>.log, locks and mails on failure: photon tasks by themselves, other programs through `photon exec`. ' +
    '--install replaces only the block between the photon marker lines and keeps the rest of the crontab. ' +
    'A job with `cadence: always` is no crontab entry, only a comment: cron cannot restart it; install its unit with `photon schedule systemd`. ' +
    'Exit 69 when the crontab cannot be read, 1 when it cannot be written (nothing is changed either way), 2 for bad fleet settings.';
  static override examples = [
    '<%= config.bin %> schedule crontab --host Kaschu',
    '<%= config.bin %> schedule crontab --install',
    '<%= config.bin %> schedule crontab --install --user admin --dry-run',
  ];
  static override settings = [fleetSettings];
  static override flags = {
    host: Flags.string({ summary: 'The fleet host (default: fleet.self, else this host name).' }),
    install: Flags.boolean({
      summary: "Write the lines into the user's crontab between marker lines.",
      default: false,
    }),
    user: Flags.string({ summary: "Install into this user's crontab (crontab -u; needs root)." }),
  };

  protected async execute(ctx: TaskContext): Promise<CrontabResult> {
    const fleet = ctx.settings.get(fleetSettings);
    const { schedule } = pinnedSchedule(ctx, fleet);
    const host = resolveFleetHost(fleet, this.flags.host, ctx.host);
    const lines = crontabLines(schedule, host, fleet);
    if (!this.flags.install) return { host, lines, installed: false, changed: false };
    const { changed } = await new CrontabInstaller(ctx.shell, fleet.crontab, this.flags.user).install(lines);
    return { host, lines, installed: true, changed };
  }

  protected summarize(r: CrontabResult): string {
    const jobs = r.lines.filter((l) => !l.startsWith('#')).length;
    if (!r.installed) return `schedule crontab: ${jobs} jobs for ${r.host}`;
    return `schedule crontab: ${jobs} jobs for ${r.host} ${r.changed ? this.done('install') : 'up to date'}`;
  }

  protected override render(r: CrontabResult): string[] {
    return r.installed ? [] : r.lines;
  }
}
