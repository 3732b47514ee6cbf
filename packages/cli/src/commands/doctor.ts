import path from 'node:path';
import {
  formatTable,
  loadAllNamespaces,
  PartialFailureError,
  photonSettings,
  ReadOnlyTaskCommand,
  type TaskContext,
} from '@ffphoton/core';
import { Doctor, type DoctorResult } from '../services/doctor.js';

export default class DoctorCommand extends ReadOnlyTaskCommand<typeof DoctorCommand, DoctorResult> {
  static override summary =
    'Check the programs and permissions the configured tasks need (exit 5 when something is missing).';
  static override description =
    'The programs come from the resolved settings of each configured namespace (a plugin declares them with its settings): the defaults, or the argv templates configured instead, including what sudo or env start.';

  protected async execute(ctx: TaskContext): Promise<DoctorResult> {
    const photon = ctx.settings.get(photonSettings);
    // photon's own services always; every other namespace when it is configured here.
    const configured = (await loadAllNamespaces(this.config)).filter(
      (ns) => ns.name === 'photon' || ctx.settings.raw[ns.name] !== undefined,
    );
    const needed = configured.map((ns) => ({
      namespace: ns.name,
      programs: ns.programs?.(ctx.settings.get(ns)) ?? [],
    }));
    const dirs = [ctx.dataDir, photon.lockDir ?? path.join(ctx.dataDir, 'locks')];
    const result = await new Doctor(ctx.files, process.env).run(needed, dirs);
    if (result.problems > 0) {
      throw new PartialFailureError(
        `${result.problems} problem(s): ${result.checks
          .filter((c) => c.status === 'missing')
          .map((c) => c.check)
          .join(', ')}`,
        result.checks.filter((c) => c.status === 'missing').map((c) => `${c.check}: ${c.detail}`),
        result,
      );
    }
    return result;
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
