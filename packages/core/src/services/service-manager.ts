import type { CommandResult } from '../errors/errors.js';
import type { ChangeRecorder } from '../journal/change-recorder.js';
import type { Logger } from '../log/logger.js';
import type { Shell } from '../shell/shell.js';

export interface ServiceTemplates {
  reload: string[];
  restart: string[];
  signal: string[];
  start: string[];
  stop: string[];
  /** Exits 0 while the unit runs. */
  isActive: string[];
  sudo: boolean;
}

/** Fills `{name}` placeholders inside each argv element; values never split or reach a shell. */
export function fillArgvTemplate(template: readonly string[], values: Record<string, string>): string[] {
  return template.map((part) =>
    part.replace(/\{([a-z]+)\}/g, (whole, key: string) => (Object.hasOwn(values, key) ? values[key] : whole)),
  );
}

/**
 * Reload, restart, signal, start and stop services through configurable argv templates
 * (systemd by default, replaced in tests and on non-systemd hosts); every action is journaled.
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

  start(unit: string): Promise<CommandResult> {
    return this.act('start', unit, this.templates.start, {});
  }

  stop(unit: string): Promise<CommandResult> {
    return this.act('stop', unit, this.templates.stop, {});
  }

  /** Whether the unit runs; a question, so it also runs in dry-run and changes nothing. */
  async isActive(unit: string): Promise<boolean> {
    const argv = fillArgvTemplate(this.templates.isActive, { unit });
    return !(await this.shell.run(argv, { allowFailure: true })).failed;
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
