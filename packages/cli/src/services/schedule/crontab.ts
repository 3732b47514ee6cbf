import { PhotonError, type Shell, UnavailableError } from '@ffphoton/core';
import type { FleetSettings } from '../../settings.js';
import type { FleetSchedule } from './fleet-scheduler.js';
import { crontabQuote, jobArgv } from './job-command.js';

export const CRONTAB_BEGIN =
  '# BEGIN photon schedule (written by `photon schedule crontab --install`; edits inside are replaced)';
export const CRONTAB_END = '# END photon schedule';

/** This host's crontab lines, one comment and one entry per job. */
export function crontabLines(
  schedule: FleetSchedule,
  host: string,
  fleet: Pick<FleetSettings, 'photon' | 'logDir'>,
): string[] {
  const lines: string[] = [];
  for (const job of schedule.jobs) {
    if (job.always && job.hosts.includes(host)) {
      // cron cannot restart a crashed service, and an @reboot line would start it only at the next boot.
      lines.push(
        `# ${job.name}${job.description ? `: ${job.description}` : ''} (always running: not from cron; ` +
          `\`photon schedule systemd\` writes its unit, then \`systemctl enable --now photon-${job.name}.service\`)`,
      );
      continue;
    }
    const slot = schedule.slots.find((s) => s.job === job.name && s.host === host);
    if (!slot) continue;
    const spread =
      job.spread === 'none'
        ? ''
        : ` (spread: ${job.spread}${job.group && job.group !== job.name ? `, group ${job.group}` : ''})`;
    lines.push(`# ${job.name}${job.description ? `: ${job.description}` : ''}${spread}`);
    // stdout (the summary line) is dropped; stderr still reaches cron's MAILTO if photon itself cannot start.
    // A minute shared with other pushers of the fleet: this host starts its own seconds later.
    const delay = slot.delaySeconds > 0 ? `sleep ${slot.delaySeconds}; ` : '';
    lines.push(`${slot.cron} ${delay}${jobArgv(job, fleet).map(crontabQuote).join(' ')} >/dev/null`);
  }
  return lines;
}

/** Replaces the marked block (or appends it), leaving every other line as it was. */
export function mergeCrontab(current: string, lines: string[]): string {
  const existing = current.split('\n');
  if (existing.at(-1) === '') existing.pop();
  const begin = existing.indexOf(CRONTAB_BEGIN);
  const end = existing.indexOf(CRONTAB_END);
  if (begin < 0 !== end < 0 || end < begin) {
    throw new PhotonError(
      'the crontab has a damaged photon block (one marker line without the other); fix it by hand',
    );
  }
  const block = [CRONTAB_BEGIN, ...lines, CRONTAB_END];
  const merged =
    begin < 0 ? [...existing, ...block] : [...existing.slice(0, begin), ...block, ...existing.slice(end + 1)];
  return `${merged.join('\n')}\n`;
}

export interface CrontabInstallResult {
  changed: boolean;
  crontab: string;
}

/**
 * Reads and writes a user's crontab with the crontab program (`-l`, `-`). The write
 * replaces the whole crontab atomically, so a failed read or write changes nothing.
 */
export class CrontabInstaller {
  constructor(
    private readonly shell: Shell,
    private readonly crontab: string[],
    private readonly user?: string,
  ) {}

  private argv(...args: string[]): string[] {
    return [...this.crontab, ...(this.user ? ['-u', this.user] : []), ...args];
  }

  async read(): Promise<string> {
    const result = await this.shell.run(this.argv('-l'), { allowFailure: true });
    if (!result.failed) return result.stdout;
    if (/no crontab for/i.test(result.stderr)) return '';
    const why = result.stderr.trim() || `exit ${result.exitCode}`;
    throw new UnavailableError(
      `cannot read the crontab (${this.argv('-l').join(' ')}): ${why}; nothing changed`,
    );
  }

  async install(lines: string[]): Promise<CrontabInstallResult> {
    const current = await this.read();
    const next = mergeCrontab(current, lines);
    if (next === current) return { changed: false, crontab: current };
    await this.shell.run(this.argv('-'), { input: next, mutates: true });
    return { changed: true, crontab: next };
  }
}
