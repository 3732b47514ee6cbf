import { loadAllNamespaces, ReadOnlyTaskCommand, type TaskContext } from '@ffphoton/core';
import { ConfigReport, type ConfigReportResult } from '../../services/config-report.js';

export default class ConfigValidate extends ReadOnlyTaskCommand<
  typeof ConfigValidate,
  Omit<ConfigReportResult, 'value'>
> {
  static override summary =
    'Validate every settings file against every installed plugin; exit 2 naming file, line and key.';

  static override examples = [
    '<%= config.bin %> config validate',
    '<%= config.bin %> config validate -c /etc/photon/conf.d  # a directory: its *.yaml files in name order',
  ];

  protected async execute(ctx: TaskContext): Promise<Omit<ConfigReportResult, 'value'>> {
    return new ConfigReport(ctx.settings, await loadAllNamespaces(this.config)).validate();
  }

  protected summarize(result: Omit<ConfigReportResult, 'value'>): string {
    return `settings valid: ${result.files.length} file(s), ${result.namespaces.length} namespaces`;
  }

  protected override render(result: Omit<ConfigReportResult, 'value'>): string[] {
    return [this.summarize(result), ...result.files.map((f) => `  ${f.kind.padEnd(6)} ${f.file}`)];
  }
}
