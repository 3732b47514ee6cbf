import { Args, partial, ReadOnlyTaskCommand, type TaskContext, type TaskOutcome } from '@ffphoton/core';
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

  static override examples = [
    '<%= config.bin %> icvpn check  # the registry clone in icvpn.meta.dir',
    '<%= config.bin %> icvpn check --json',
  ];

  protected async execute(ctx: TaskContext): Promise<TaskOutcome<CheckResult>> {
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
    if (result.errors.length === 0) return result;
    for (const line of [...result.errors, ...result.warnings]) this.logToStderr(line);
    return partial(result, result.errors, `${result.errors.length} error(s) in ${dir}`);
  }

  protected summarize(r: CheckResult): string {
    return `icvpn check: ${r.communities} valid communities, ${r.errors.length} error(s), ${r.warnings.length} warning(s)`;
  }

  protected override render(r: CheckResult): string[] {
    return r.warnings;
  }
}
