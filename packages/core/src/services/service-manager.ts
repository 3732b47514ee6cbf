import type { CommandResult } from '../errors/errors.js';
import type { ChangeRecorder } from '../journal/change-recorder.js';
import type { Logger } from '../log/logger.js';
import type { Shell } from '../shell/shell.js';

export interface ServiceTemplates {
  reload: string[];
  restart: string[];
  signal: string[];
  sudo: boolean;
}

/** Fills `{name}` placeholders inside each argv element; values never split or reach a shell. */
export function fillArgvTemplate(template: readonly string[], values: Record<string, string>): string[] {
  return template.map((part) =>
    part.replace(/\{([a-z]+)\}/g, (whole, key: string) => (Object.hasOwn(values, key) ? values[key] : whole)),
  );
}

/**
 * Reload, restart and signal services through configurable argv templates
 * (systemd by default, replaced in tests and on non-systemd hosts).
 */
export class ServiceManager {
  constructor(
    private readonly shell: Shell,
    private readonly templates: ServiceTemplates,
    private readonly recorder?: ChangeRecorder,
    private readonly logger?: Logger,
  ) {}

  reload(unit: string, template?: readonly string[]): Promise<CommandResult> {
    return this.act('reload', unit, template ?? this.templates.reload, {});
  }

  restart(unit: string, template?: readonly string[]): Promise<CommandResult> {
    return this.act('restart', unit, template ?? this.templates.restart, {});
  }

  signal(unit: string, signal: string, template?: readonly string[]): Promise<CommandResult> {
    return this.act(`signal ${signal}`, unit, template ?? this.templates.signal, { signal });
  }

  private async act(
    action: string,
    unit: string,
    template: readonly string[],
    extra: Record<string, string>,
  ): Promise<CommandResult> {
    const argv = fillArgvTemplate(template, { unit, ...extra });
    const result = await this.shell.run(argv, { mutates: true, sudo: this.templates.sudo });
    this.recorder?.recordService({ unit, action, dryRun: result.skipped });
    if (!result.skipped) this.logger?.info({ unit, action }, `${action} ${unit}`);
    return result;
  }
}
