import {
  Args,
  Flags,
  formatSettingsYaml,
  loadAllNamespaces,
  ReadOnlyTaskCommand,
  type TaskContext,
} from '@ffphoton/core';
import { ConfigReport, type ConfigReportResult } from '../../services/config-report.js';

export default class ConfigShow extends ReadOnlyTaskCommand<typeof ConfigShow, ConfigReportResult> {
  static override summary =
    'Show the resolved settings (all layers merged, defaults filled in, secrets redacted).';
  static override examples = [
    '<%= config.bin %> config show',
    '<%= config.bin %> config show fastd.instances --format json',
  ];
  static override args = {
    key: Args.string({
      description: 'Key path to show, e.g. fastd.instances[0].statusSocket',
      required: false,
    }),
  };
  static override flags = {
    format: Flags.option({ options: ['yaml', 'json'] as const, default: 'yaml', summary: 'Output format' })(),
  };

  protected async execute(ctx: TaskContext): Promise<ConfigReportResult> {
    return new ConfigReport(ctx.settings, await loadAllNamespaces(this.config)).build(this.args.key);
  }

  protected summarize(result: ConfigReportResult): string {
    return `config show: ${result.namespaces.length} namespaces from ${result.files.length} files`;
  }

  protected override render(result: ConfigReportResult): string[] {
    if (this.flags.format === 'json') return [JSON.stringify(result.value, null, 2)];
    return [formatSettingsYaml(result.value).trimEnd()];
  }
}
