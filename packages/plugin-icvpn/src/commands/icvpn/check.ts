import { Args, PartialFailureError, ReadOnlyTaskCommand, type TaskContext } from '@ffphoton/core';
import { formatProblem } from '../../services/community.js';
import { loadCommunities } from '../../services/meta-loader.js';
import { icvpnSettings } from '../../settings.js';

export interface CheckResult {
  dir: string;
  communities: number;
  errors: string[];
  warnings: string[];
}

export default class IcvpnCheck extends ReadOnlyTaskCommand<typeof IcvpnCheck, CheckResult> {
  static override summary =
    "Validate an icvpn-meta directory by the rules of icvpn-scripts' check and list every problem";
  static override description =
    'Exit codes: 0 no errors (warnings may be listed); 5 errors found; 2 bad arguments.';
  static override settings = [icvpnSettings];
  static override args = {
    dir: Args.string({ description: 'icvpn-meta directory (default: the configured checkout)' }),
  };

  protected async execute(ctx: TaskContext): Promise<CheckResult> {
    const settings = ctx.settings.get(icvpnSettings);
    const dir = this.args.dir ?? settings.meta.dir;
    const loaded = await loadCommunities(ctx.files, dir, {
      allowLinkLocal: settings.allowLinkLocal,
      maxFileBytes: settings.maxFileBytes,
    });
    const result: CheckResult = {
      dir,
      communities: loaded.communities.length,
      errors: loaded.problems.filter((p) => p.severity === 'error').map(formatProblem),
      warnings: loaded.problems.filter((p) => p.severity === 'warning').map(formatProblem),
    };
    if (result.errors.length > 0) {
      for (const line of [...result.errors, ...result.warnings]) this.logToStderr(line);
      throw new PartialFailureError(`${result.errors.length} error(s) in ${dir}`, result.errors, result);
    }
    return result;
  }

  protected summarize(r: CheckResult): string {
    return `icvpn check: ${r.communities} valid communities, ${r.errors.length} error(s), ${r.warnings.length} warning(s)`;
  }

  protected override render(r: CheckResult): string[] {
    return r.warnings;
  }
}
