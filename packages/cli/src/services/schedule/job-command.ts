import type { FleetSettings } from '../../settings.js';
import type { PlannedJob } from './fleet-scheduler.js';

const HOME = '$HOME';

/**
 * The argv cron or systemd runs for a job: photon tasks get `--log-file` (they lock, journal
 * and mail by themselves); any other timed program is wrapped in `photon exec` for the same. An
 * always-running program is started as it is: `photon exec` would end it at its timeout, and
 * systemd already restarts it and keeps its output in the journal.
 */
export function jobArgv(job: PlannedJob, fleet: Pick<FleetSettings, 'photon' | 'logDir'>): string[] {
  const logFile = `${fleet.logDir.replace(/\/+$/, '')}/${job.name}.log`;
  if (job.command[0] === 'photon') return [...fleet.photon, ...job.command.slice(1), '--log-file', logFile];
  if (job.always) return job.command;
  const timeout = job.timeoutSeconds ? ['--timeout', String(job.timeoutSeconds)] : [];
  return [
    ...fleet.photon,
    'exec',
    '--name',
    job.name,
    ...timeout,
    '--log-file',
    logFile,
    '--',
    ...job.command,
  ];
}

/** POSIX sh quoting for a crontab line; `$HOME` stays expandable and `%` (cron's newline) is escaped. */
export function crontabQuote(arg: string): string {
  if (arg.startsWith(`${HOME}/`)) return `"${HOME}"${crontabQuote(arg.slice(HOME.length))}`;
  const quoted = /^[A-Za-z0-9_@+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;
  return quoted.replaceAll('%', '\\%');
}

/** systemd ExecStart quoting; `$HOME` becomes the `%h` specifier, other `%` and `$` are literal. */
export function systemdQuote(arg: string): string {
  if (arg.startsWith(`${HOME}/`)) return `%h${systemdQuote(arg.slice(HOME.length))}`;
  const escaped = arg.replaceAll('%', '%%').replaceAll('$', '$$');
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(escaped)
    ? escaped
    : `"${escaped.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}
