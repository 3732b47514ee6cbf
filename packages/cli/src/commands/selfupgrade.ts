import path from 'node:path';
import { TaskCommand, type TaskContext, type TaskOutcome } from '@ffphoton/core';
import {
  installPrefix,
  processEnvironment,
  type SelfUpgradeResult,
  SelfUpgrader,
} from '../services/selfupgrade/self-upgrader.js';
import { selfupgradeSettings } from '../settings.js';

export default class SelfUpgrade extends TaskCommand<typeof SelfUpgrade, SelfUpgradeResult> {
  static override summary = 'Update photon and its plugins from npm and pull the configured repositories.';
  static override description =
    "Pulls selfupgrade.repositories (fetch with tags, fast-forward only, using the git settings), then runs `npm install -g --prefix <the prefix photon runs from> @ffphoton/cli@latest` (from npm's configured registry, shown) and `photon plugins update`. " +
    'Without a terminal (cron) it refuses unless selfupgrade.allowUnattended is true (exit 2). ' +
    'When this user may not write the npm prefix it changes nothing there and prints the exact command to run (exit 5). ' +
    'Exit 4 when a repository has diverged from its upstream or local changes block the fast-forward, 69 when a remote cannot be reached, refuses access or times out, 1 when another git command or the install fails.';
  static override examples = [
    '<%= config.bin %> selfupgrade --dry-run',
    'sudo <%= config.bin %> selfupgrade',
  ];
  static override settings = [selfupgradeSettings];

  protected async execute(ctx: TaskContext): Promise<TaskOutcome<SelfUpgradeResult>> {
    const settings = ctx.settings.get(selfupgradeSettings);
    const pluginsUpdate = settings.pluginsUpdate ?? [
      process.execPath,
      path.join(this.config.root, 'bin', 'run.js'),
      'plugins',
      'update',
    ];
    return new SelfUpgrader(ctx.shell, ctx.git, ctx.files, ctx.logger, processEnvironment).run(
      settings,
      pluginsUpdate,
      installPrefix(this.config.root),
    );
  }

  protected summarize(r: SelfUpgradeResult): string {
    const pulled = r.repositories.filter((repo) => repo.status === 'pulled').length;
    return `selfupgrade: ${r.dryRun ? 'would run' : 'ran'} ${r.commands.join(' && ')}; ${pulled} of ${r.repositories.length} repositories ${this.done('pull')}`;
  }

  protected override render(r: SelfUpgradeResult): string[] {
    return [
      `prefix: ${r.prefix}`,
      `registry: ${r.registry}`,
      ...r.commands.map((command) => `${r.dryRun ? 'would run: ' : 'ran: '}${command}`),
    ];
  }
}
