import path from 'node:path';
import {
  formatTable,
  PartialFailureError,
  photonSettings,
  TaskCommand,
  type TaskContext,
} from '@ffphoton/core';
import { Doctor, type DoctorResult } from '../services/doctor.js';

export default class DoctorCommand extends TaskCommand<typeof DoctorCommand, DoctorResult> {
  static override summary =
    'Check the binaries and permissions the configured tasks need (exit 5 when something is missing).';
  static override readOnly = true;

  protected async execute(ctx: TaskContext): Promise<DoctorResult> {
    const photon = ctx.settings.get(photonSettings);
    const configured = ['photon', ...Object.keys(ctx.settings.raw)];
    const dirs = [ctx.dataDir, photon.lockDir ?? path.join(ctx.dataDir, 'locks')];
    const result = await new Doctor(ctx.files, process.env).run(configured, dirs);
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
