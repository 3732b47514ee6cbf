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

/**
 * All of oclif, from the same copy: third-party oclif plugins (`photon plugins`, `autocomplete`,
 * `help`) import `@oclif/core`, which core's loader maps to this (dist/bundle/oclif-hooks.mjs).
 * Evaluated on the first call only: runs of first-party commands never load oclif's index.
 */
export async function loadOclifCore(): Promise<typeof import('@oclif/core')> {
  return import('@oclif/core');
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

export {
  CommandFailedError,
  type CommandResult,
  ConfigError,
  type ConfigErrorLocation,
  ExitCode,
  exitCodeOf,
  FailedAfterChangesError,
  InterruptedError,
  LockedError,
  lastLines,
  messageOf,
  PhotonError,
  SandboxError,
  UnavailableError,
  UsageError,
  ValidationRejectedError,
  YamlError,
  type YamlProblem,
} from './errors/errors.js';
export { FileStore, type WriteOptions, type WriteResult } from './fs/file-store.js';
export { RootSandbox } from './fs/root-sandbox.js';
export { withScratchDir } from './fs/scratch-dir.js';
export { TemplateFile, type TemplateWriteResult } from './fs/template-file.js';
export {
  GitCommandError,
  GitConflictError,
  GitLocalChangesError,
  GitLockedError,
  GitRemoteError,
  type GitRemoteReason,
  remoteError,
} from './git/git-errors.js';
export {
  type GitLogEntry,
  GitRepository,
  type GitRepositoryOptions,
  type MirrorResult,
  type PublishResult,
  type PullResult,
} from './git/git-repository.js';
export { type EnsureCloneResult, GitService, type UpdateResult } from './git/git-service.js';
export {
  DEFAULT_SNAPSHOT_DENY,
  type GitSettings,
  gitSettings,
  type RepositorySpec,
  repositorySchema,
  type SyncRepository,
} from './git/git-settings.js';
export type { GitStatus } from './git/git-status.js';
export { shellQuote, sshArgv } from './git/ssh-command.js';
export { type Clock, systemClock } from './host/clock.js';
export { DaemonSignal, type SignalResult } from './host/daemon-signal.js';
export { findProgram } from './host/find-program.js';
// captureStdout: for @ffphoton/core/testing, which must reach the bundle's copy of stdout.
export { captureStdout, isTerminal, writeStdout } from './host/stdio.js';
export {
  assertTreeWithin,
  type BoundedJsonOptions,
  type BoundedReadOptions,
  ByteBudget,
  formatBytes,
  gunzipBounded,
  INPUT_LIMITS,
  jsonDepth,
  parseBoundedJson,
  readBoundedFile,
  readBoundedText,
  readBoundedTextIfExists,
  type TreeLimits,
} from './input/index.js';
export { type FileChange, RunChanges, type ServiceAction } from './journal/change-recorder.js';
export { type Incident, IncidentLog } from './journal/incidents.js';
export { Journal, type RunOutcome, type RunRecord } from './journal/journal.js';
export {
  type LineSink,
  type LogFormat,
  type Logger,
  type LogLevel,
  silentLogger,
  type TaskLogger,
} from './log/logger.js';
export { redactSecrets } from './log/redact.js';
export type { MailSettings } from './mail/mail-settings.js';
export { Mailer, type MailMessage, type MailResult } from './mail/mailer.js';
export { writeStatusMetrics } from './metrics/status-metrics.js';
export type { MetricFamily, MetricSample } from './metrics/textfile.js';
export {
  addressKey,
  familyOf,
  type IpFamily,
  isPrefix,
  type ParsedIp,
  type Prefix,
  type PrefixOptions,
  PrefixSet,
  parseIp,
  parsePrefix,
  prefixContains,
  prefixEnd,
  supernet,
} from './net/ip.js';
export { Ping, type PingOptions, type PingResult, type PingSummary } from './net/ping.js';
export { fillArgvTemplate, ServiceManager, type ServiceTemplates } from './services/service-manager.js';
export { argvPrograms, argvTemplate, photonSettings } from './settings/core-settings.js';
export { defineSettings, type SettingsNamespace, type SettingsOf } from './settings/namespace.js';
export { formatKeyPath, Settings } from './settings/settings-loader.js';
export { formatSettingsYaml } from './settings/settings-yaml.js';
export {
  parseYamlBounded,
  type ReadYamlOptions,
  readYaml,
  readYamlTextIfExists,
  type YamlMappings,
} from './settings/yaml-file.js';
export { parseYaml, parseYamlDocument, stringifyYaml } from './settings/yaml-library.js';
export { nonEmptyString, nonNegativeInt, positiveInt, positiveNumber, z } from './settings/zod.js';
export { type RunOptions, Shell } from './shell/shell.js';
export {
  formatAge,
  STATUS_EVENT,
  type StatusHookOptions,
  type StatusHookResult,
  type StatusSection,
  type StatusState,
  statusSectionSchema,
  type ValidStatusSection,
  worstState,
} from './status/status-section.js';
export type { FailureNotifier, FailureReport, NotifyResult } from './task/failure-notifier.js';
export {
  isPartial,
  type PartialOutcome,
  partial,
  type TaskOutcome,
} from './task/partial-outcome.js';
export { loadAllNamespaces } from './task/plugin-namespaces.js';
export { ReadOnlyTaskCommand, type TaskArgs, TaskCommand, type TaskFlags } from './task/task-command.js';
export type { TaskContext } from './task/task-context.js';
export {
  type TaskBody,
  type TaskOutput,
  TaskRunner,
  type TaskRunOptions,
  type TaskRunResult,
} from './task/task-runner.js';
export { CLOCK, DRY_RUN, FAILURE_NOTIFIER, HOSTNAME, LOGGER, TASK_CONTEXT } from './task/tokens.js';
export { type ChangeVerb, changeClaim, changeDone, PAST_TENSE_CLAIMS } from './text/change-claim.js';
export { closestWord } from './text/closest-word.js';
export { byCodeUnit } from './text/compare.js';
export { formatTable } from './text/table.js';
