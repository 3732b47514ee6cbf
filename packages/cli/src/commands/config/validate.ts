import { loadAllNamespaces, ReadOnlyTaskCommand, type TaskContext } from '@ffphoton/core';
import { ConfigReport, type ConfigReportResult } from '../../services/config-report.js';

export default class ConfigValidate extends ReadOnlyTaskCommand<
  typeof ConfigValidate,
  Omit<ConfigReportResult, 'value'>
> {
  static override summary =
    'Validate every settings file against every installed plugin; exit 2 naming file, line and key.';

  protected async execute(ctx: TaskContext): Promise<Omit<ConfigReportResult, 'value'>> {
    const { files, namespaces } = new ConfigReport(
      ctx.settings,
      await loadAllNamespaces(this.config),
    ).build();
    return { files, namespaces };
  }

  protected summarize(result: Omit<ConfigReportResult, 'value'>): string {
    return `settings valid: ${result.files.length} file(s), ${result.namespaces.length} namespaces`;
  }

  protected override render(result: Omit<ConfigReportResult, 'value'>): string[] {
    return [this.summarize(result), ...result.files.map((f) => `  ${f.kind.padEnd(6)} ${f.file}`)];
  }
}
