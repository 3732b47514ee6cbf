// tsyringe needs the Reflect polyfill before any decorator runs: this import must stay first.
import 'reflect-metadata';

// oclif's API for plugins: importing it from here keeps one (bundled) copy of oclif in the process.
// Subpath imports: oclif's index would also evaluate parser, ux and performance modules at start-up.
export type { Hook, Interfaces } from '@oclif/core';
export * as Args from '@oclif/core/args';
export { Command } from '@oclif/core/command';
export { Config } from '@oclif/core/config';
export { execute } from '@oclif/core/execute';
export * as Flags from '@oclif/core/flags';

/** oclif's help renderer, loaded when help is printed (runs that print none never evaluate it). */
export async function loadOclifHelp(): Promise<typeof import('@oclif/core/help').Help> {
  return (await import('@oclif/core/help')).Help;
}
export {
  container,
  type DependencyContainer,
  delay,
  type InjectionToken,
  inject,
  injectAll,
  injectable,
} from 'tsyringe';
// YAML for plugins' own files (key lists, account files), from the same bundled copy settings use.
export { parse as parseYaml, parseDocument as parseYamlDocument, stringify as stringifyYaml } from 'yaml';

export * from './errors/errors.js';
export * from './fs/file-store.js';
export * from './fs/root-sandbox.js';
export * from './fs/scratch-dir.js';
export * from './fs/template-file.js';
export * from './git/git-errors.js';
export * from './git/git-repository.js';
export * from './git/git-service.js';
export * from './git/git-settings.js';
export * from './git/git-status.js';
export * from './git/home-path.js';
export * from './git/ssh-command.js';
export * from './host/clock.js';
export * from './host/daemon-signal.js';
export * from './host/find-program.js';
export * from './host/hostname.js';
export * from './host/stdio.js';
export * from './input/index.js';
export * from './journal/change-recorder.js';
export * from './journal/incidents.js';
export * from './journal/journal.js';
export * from './lock/task-lock.js';
export * from './log/logger.js';
export * from './log/redact.js';
export * from './mail/mail-failure-notifier.js';
export * from './mail/mail-settings.js';
export * from './mail/mailer.js';
export * from './metrics/status-metrics.js';
export * from './metrics/task-metrics.js';
export * from './metrics/textfile.js';
export * from './net/ip.js';
export * from './net/ping.js';
export * from './services/service-manager.js';
export * from './settings/core-settings.js';
export * from './settings/namespace.js';
export * from './settings/settings-loader.js';
export { formatSettingsYaml } from './settings/settings-yaml.js';
export * from './settings/yaml-file.js';
export { z } from './settings/zod.js';
export * from './shell/shell.js';
export * from './status/status-section.js';
export * from './task/core-services.js';
export * from './task/failure-notifier.js';
export * from './task/plugin-namespaces.js';
export * from './task/task-command.js';
export * from './task/task-context.js';
export * from './task/task-runner.js';
export * from './task/tokens.js';
export * from './text/change-claim.js';
export * from './text/closest-word.js';
export * from './text/compare.js';
export * from './text/table.js';
