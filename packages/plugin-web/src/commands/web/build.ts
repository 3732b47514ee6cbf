import {
  Flags,
  partial,
  photonSettings,
  STATUS_EVENT,
  type StatusHookOptions,
  TaskCommand,
  type TaskContext,
  type TaskOutcome,
  writeStatusMetrics,
} from '@ffphoton/core';
import { HealthCollector, type StatusHookOutcome } from '../../services/health-collector.js';
import { SiteBuilder, type WebBuildResult } from '../../services/site-builder.js';
import { webSettings } from '../../settings.js';

export default class WebBuild extends TaskCommand<typeof WebBuild, WebBuildResult> {
  static override summary =
    'Build the static status site: landing page with health, system and traffic pages';
  static override description =
    'A broken part (failing command, missing vnstat, unknown interface, silent plugin) becomes a note on the page. ' +
    'Exit codes: 0 site written; 5 with --strict when a part of the site is a note; 1 the site could not be written; 2 bad settings.';
  static override settings = [webSettings];
  static override flags = {
    strict: Flags.boolean({
      summary: 'Exit 5 when any part of the site had to be replaced by a note.',
      default: false,
    }),
  };

  static override examples = [
    '<%= config.bin %> web build',
    '<%= config.bin %> web build --dry-run --log-level info',
  ];

  protected async execute(ctx: TaskContext): Promise<TaskOutcome<WebBuildResult>> {
    const cfg = ctx.settings.get(webSettings);
    const runStatusHook = async (): Promise<StatusHookOutcome> => {
      const options: StatusHookOptions = { ctx };
      return this.config.runHook(STATUS_EVENT, options, cfg.statusTimeoutSeconds * 1000, true);
    };
    const health = new HealthCollector(ctx.journal, runStatusHook);
    const result = await new SiteBuilder(ctx.files, ctx.shell, health, ctx.logger).build(
      cfg,
      ctx.host,
      ctx.settings.raw.fastd,
      ctx.clock.now(),
    );
    // Prometheus: the plugins' gauges from the status hook, next to the task textfiles.
    const { textfileDir } = ctx.settings.get(photonSettings).metrics;
    if (textfileDir && !ctx.dryRun)
      await writeStatusMetrics(ctx.sandbox.resolve(textfileDir), result.health.sections, ctx.host);
    if (this.flags.strict && result.notes.length > 0)
      return partial(result, result.notes, `site written with ${result.notes.length} note(s)`);
    return result;
  }

  protected summarize(r: WebBuildResult): string {
    const changed = r.pages.filter((p) => p.changed).length;
    const failed = r.health.tasks.filter((t) => t.state === 'failed').length;
    return `web build: ${changed} of ${r.pages.length} pages ${this.done('change')}, ${r.health.tasks.length} tasks (${failed} failed), ${r.notes.length} note(s)`;
  }

  protected override render(r: WebBuildResult): string[] {
    return [
      ...r.pages.map((p) => `${p.changed ? this.did('write') : 'unchanged'} ${p.path} (${p.bytes} bytes)`),
      ...r.notes,
    ];
  }
}
