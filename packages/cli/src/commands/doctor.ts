import path from 'node:path';
import {
  ConfigError,
  formatTable,
  loadAllNamespaces,
  partial,
  photonSettings,
  ReadOnlyTaskCommand,
  type SettingsNamespace,
  type TaskContext,
  type TaskOutcome,
} from '@ffphoton/core';
import { Doctor, type DoctorCheck, type DoctorResult } from '../services/doctor.js';
import { jobChecks } from '../services/doctor-jobs.js';
import { FleetScheduler } from '../services/schedule/fleet-scheduler.js';
import { resolveFleetHost } from '../services/schedule/this-host.js';
import { fleetSettings } from '../settings.js';

export default class DoctorCommand extends ReadOnlyTaskCommand<typeof DoctorCommand, DoctorResult> {
  static override summary =
    'Check the programs and permissions the configured tasks need (exit 5 when something is missing).';
  static override description =
    'With a fleet configured, each scheduled job of this host too: its program exists, its `photon …` command exists (plugins included) and its settings validate. ' +
    'The programs come from the resolved settings of each configured namespace (a plugin declares them with its settings): the defaults, or the argv templates configured instead, including what sudo or env start.';

  static override examples = ['<%= config.bin %> doctor', '<%= config.bin %> doctor --json'];

  protected async execute(ctx: TaskContext): Promise<TaskOutcome<DoctorResult>> {
    const photon = ctx.settings.get(photonSettings);
    // photon's own services always; every other namespace when it is configured here.
    const configured = (await loadAllNamespaces(this.config)).filter(
      (ns) => ns.name === 'photon' || ctx.settings.raw[ns.name] !== undefined,
    );
    // A namespace that does not validate is one more finding (named with file, line and key), not the end.
    const invalid: DoctorCheck[] = [];
    const needed = configured.flatMap((ns) => {
      try {
        return [{ namespace: ns.name, programs: ns.programs?.(ctx.settings.get(ns)) ?? [] }];
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        invalid.push({
          check: `settings ${ns.name}`,
          status: 'missing',
          detail: error.message,
          neededBy: ns.name,
        });
        return [];
      }
    });
    const dirs = [ctx.dataDir, photon.lockDir ?? path.join(ctx.dataDir, 'locks')];
    const more = [...invalid, ...(await this.jobChecks(ctx))];
    const result = await new Doctor(ctx.files, process.env).run(needed, dirs, more);
    // Where `photon plugins install` puts plugins and every run loads them from (oclif's dataDir).
    result.checks.push({
      check: 'plugins directory',
      status: 'ok',
      detail: this.config.dataDir,
      neededBy: 'photon',
    });
    if (result.problems === 0) return result;
    const missing = result.checks.filter((c) => c.status === 'missing');
    return partial(
      result,
      missing.map((c) => `${c.check}: ${c.detail}`),
      `${result.problems} problem(s): ${missing.map((c) => c.check).join(', ')}`,
      // The table names each one; without --json it is printed below the summary.
      { listedInOutput: !this.jsonEnabled() },
    );
  }

  /** This host's scheduled jobs (fleet settings), when a fleet is configured. */
  private async jobChecks(ctx: TaskContext): Promise<DoctorCheck[]> {
    if (ctx.settings.raw.fleet === undefined) return [];
    const fleet = ctx.settings.get(fleetSettings);
    const schedule = new FleetScheduler(fleet).schedule();
    let host: string;
    try {
      host = resolveFleetHost(fleet, undefined, ctx.host);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      return [
        { check: 'fleet', status: 'warning', detail: `no job checked: ${error.message}`, neededBy: 'fleet' },
      ];
    }
    const jobs = schedule.jobs.filter((job) => job.hosts.includes(host));
    return jobChecks(jobs, {
      findCommand: async (args) => {
        const words = args.filter((a) => !a.startsWith('-'));
        for (let n = words.length; n > 0; n -= 1) {
          const command = this.config.findCommand(words.slice(0, n).join(':'));
          if (!command) continue;
          const loaded = (await command.load()) as { settings?: SettingsNamespace[] };
          return { id: command.id, namespaces: loaded.settings ?? [] };
        }
        return undefined;
      },
      validate: (ns) => ctx.settings.get(ns),
      env: process.env,
    });
  }

  protected summarize(result: DoctorResult): string {
    return `doctor: ${result.checks.length} checks, ${result.problems} problems`;
  }

  protected override render(result: DoctorResult): string[] {
    return formatTable(
      ['check', 'status', 'needed by', 'detail'],
      result.checks.map((c) => [c.check, c.status, c.neededBy, c.detail]),
    );
  }
}
