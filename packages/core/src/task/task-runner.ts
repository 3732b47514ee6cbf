import path from 'node:path';
import { container as rootContainer } from 'tsyringe';
import {
  CommandFailedError,
  ExitCode,
  exitCodeOf,
  LockedError,
  messageOf,
  PartialFailureError,
  PhotonError,
} from '../errors/errors.js';
import { FileStore } from '../fs/file-store.js';
import { RootSandbox } from '../fs/root-sandbox.js';
import { type Clock, formatTimestamp, systemClock } from '../host/clock.js';
import { shortHostname } from '../host/hostname.js';
import { isTerminal } from '../host/stdio.js';
import { type FileChange, RunChanges } from '../journal/change-recorder.js';
import { Journal, type RunOutcome, type RunRecord, safeTaskName } from '../journal/journal.js';
import { TaskLock } from '../lock/task-lock.js';
import {
  createTaskLogger,
  type LineSink,
  type LogFormat,
  type LogLevel,
  type TaskLogger,
} from '../log/logger.js';
import { redactSecrets, redactText } from '../log/redact.js';
import { mailSettings } from '../mail/mail-settings.js';
import { ServiceManager } from '../services/service-manager.js';
import { photonSettings } from '../settings/core-settings.js';
import type { SettingsNamespace } from '../settings/namespace.js';
import { loadSettings, Settings } from '../settings/settings-loader.js';
import { Shell } from '../shell/shell.js';
import { randomHex } from '../text/random-hex.js';
import { coreNamespaces, registerCoreServices } from './core-services.js';
import type { FailureReport } from './failure-notifier.js';
import type { TaskContext } from './task-context.js';
import { CLOCK, DRY_RUN, FAILURE_NOTIFIER, HOSTNAME, LOGGER, TASK_CONTEXT } from './tokens.js';

export interface TaskRunOptions {
  task: string;
  argv: string[];
  configFiles: string[];
  root?: string;
  dryRun: boolean;
  logLevel?: LogLevel;
  logFormat?: LogFormat;
  logFile?: string;
  /** Take the per-task lock (false for `--no-lock` and read-only tasks). */
  lock: boolean;
  waitSeconds: number;
  /** Namespaces the task reads (core namespaces are always loaded). */
  namespaces: SettingsNamespace[];
  knownNamespaces: string[];
  /** Default data directory (oclif's), used when neither settings nor PHOTON_DATA_DIR name one. */
  defaultDataDir: string;
  env?: NodeJS.ProcessEnv;
  clock?: Clock;
  hostname?: string;
  /** Where console logs go (stderr by default). */
  logStream?: LineSink;
  /** Write a journal record and mail on failure (false for read-only inspection commands). */
  journal: boolean;
}

/** The `--json` contract shared by every task: the envelope around the task's typed result. */
export interface TaskOutput<R> {
  ok: boolean;
  task: string;
  host: string;
  dryRun: boolean;
  exitCode: number;
  summary: string;
  changes: { files: FileChange[]; services: RunChanges['services']; commands: number };
  result?: R;
  /** `problems`: each refused input of a partial run (exit 5), at most 50 and a count. */
  error?: { code: string; message: string; problems?: string[] };
}

export interface TaskRunResult<R> {
  output: TaskOutput<R>;
  error?: unknown;
}

export type TaskBody<R> = (ctx: TaskContext) => Promise<R>;

/**
 * Runs one task: settings, logger, sandbox, lock, DI container, the body, journal and
 * failure notification. Never exits the process; the exit code is in the output.
 */
export class TaskRunner {
  async run<R>(
    options: TaskRunOptions,
    body: TaskBody<R>,
    summarize: (result: R) => string,
  ): Promise<TaskRunResult<R>> {
    const env = options.env ?? process.env;
    const clock = options.clock ?? systemClock;
    const started = clock.now();
    const runId = randomHex(3);
    const changes = new RunChanges();
    let host = options.hostname ?? shortHostname();
    let log: TaskLogger | undefined;
    let ctx: TaskContext | undefined;
    let lock: TaskLock | undefined;
    let result: R | undefined;
    let error: unknown;
    try {
      const interactive = options.logStream === undefined && isTerminal(2);
      log = await createTaskLogger({
        level: options.logLevel ?? (interactive ? 'info' : 'warn'),
        format: options.logFormat ?? (interactive ? 'pretty' : 'json'),
        file: options.logFile,
        bindings: { task: options.task, run: runId },
        stream: options.logStream,
      });
      const sandbox = new RootSandbox(options.root);
      const settings = await loadSettings({
        sandbox,
        env,
        hostname: host,
        timestamp: formatTimestamp(started),
        configFiles: options.configFiles,
        // What the runner reads itself, and what the task declares. Git settings are validated by
        // the tasks that declare them (and by GitService on first use): a mistake there fails the
        // git jobs, not fastd's or alfred's. `photon config validate` checks every namespace.
        namespaces: [photonSettings, mailSettings, ...options.namespaces],
        knownNamespaces: [...new Set([...coreNamespaces.map((ns) => ns.name), ...options.knownNamespaces])],
      });
      const photon = settings.get(photonSettings);
      host = photon.hostname ?? host;
      const dataDir = photon.dataDir ?? env.PHOTON_DATA_DIR ?? options.defaultDataDir;
      const logger = log.logger;
      const shell = new Shell({
        dryRun: options.dryRun,
        defaultTimeoutMs: photon.commandTimeoutSeconds * 1000,
        recorder: changes,
        logger,
      });
      const files = new FileStore(sandbox, { dryRun: options.dryRun, recorder: changes, logger, clock });
      const services = new ServiceManager(shell, photon.services, changes, logger);
      const journal = new Journal(sandbox.resolve(path.join(dataDir, 'runs')), photon.journal.keep);
      const container = rootContainer.createChildContainer();
      ctx = {
        task: options.task,
        runId,
        host,
        dryRun: options.dryRun,
        settings,
        logger,
        shell,
        files,
        services,
        clock,
        sandbox,
        dataDir,
        journal,
        changes,
        container,
      };
      container.register(Settings, { useValue: settings });
      container.register(Shell, { useValue: shell });
      container.register(FileStore, { useValue: files });
      container.register(ServiceManager, { useValue: services });
      container.register(Journal, { useValue: journal });
      container.register(RootSandbox, { useValue: sandbox });
      container.register(LOGGER, { useValue: logger });
      container.register(CLOCK, { useValue: clock });
      container.register(HOSTNAME, { useValue: host });
      container.register(DRY_RUN, { useValue: options.dryRun });
      container.register(TASK_CONTEXT, { useValue: ctx });
      await registerCoreServices(ctx);
      log.recent.limit = settings.get(mailSettings).logLines;

      // A dry run changes nothing, so it neither needs nor creates the lock.
      if (options.lock && !options.dryRun) {
        lock = new TaskLock(
          sandbox.resolve(
            path.join(photon.lockDir ?? path.join(dataDir, 'locks'), `${safeTaskName(options.task)}.lock`),
          ),
          options.task,
        );
        await lock.acquire({ waitSeconds: options.waitSeconds });
      }
      result = await body(ctx);
    } catch (caught) {
      error = caught;
    } finally {
      await lock?.release().catch(() => undefined);
    }

    const exitCode = error === undefined ? ExitCode.Ok : exitCodeOf(error);
    const summary = error === undefined ? summarize(result as R) : failureSummary(options.task, error);
    const logger = log?.logger;
    if (error instanceof PartialFailureError) {
      // Each refused input by name, here once for every task: the log, the failure mail (which
      // quotes the last log lines) and the journal all get the reasons, not just a count.
      for (const problem of cappedProblems(error)) logger?.warn({ problem }, problem);
    }
    if (error === undefined) logger?.info({ exitCode }, summary);
    else if (error instanceof LockedError) logger?.warn({ exitCode }, summary);
    else logger?.error({ exitCode, error: serializeError(error) }, summary);

    const output: TaskOutput<R> = {
      ok: error === undefined,
      task: options.task,
      host,
      dryRun: options.dryRun,
      exitCode,
      summary,
      changes: { files: changes.files, services: changes.services, commands: changes.commands.length },
      ...(error === undefined ? { result } : { error: errorJson(error) }),
      ...(error instanceof PartialFailureError && error.result !== undefined
        ? { result: error.result as R }
        : {}),
    };

    // A locked run leaves the journal alone: the holder writes its own record.
    if (ctx && !(error instanceof LockedError)) {
      const ended = clock.now();
      const record: RunRecord = {
        task: options.task,
        runId,
        argv: options.argv,
        host,
        dryRun: options.dryRun,
        start: started.toISOString(),
        end: ended.toISOString(),
        durationMs: ended.getTime() - started.getTime(),
        outcome: outcomeOf(error),
        exitCode,
        summary,
        ...(error === undefined ? {} : { error: errorJson(error) }),
        commands: changes.commands,
        files: changes.files,
        services: changes.services,
        mails: changes.mails,
      };
      // The notifier's mail is recorded into changes.mails, the array the record holds.
      if (options.journal) await this.notify(ctx, error, record, log);
      if (options.journal && !options.dryRun) {
        await ctx.journal.write(redactSecrets(record)).catch((journalError: unknown) => {
          logger?.warn({ error: serializeError(journalError) }, 'could not write the run journal');
        });
      }
    }
    log?.flush();
    return { output, error };
  }

  private async notify(ctx: TaskContext, error: unknown, record: RunRecord, log: TaskLogger | undefined) {
    if (!ctx.container.isRegistered(FAILURE_NOTIFIER)) return;
    const notifier = ctx.container.resolve(FAILURE_NOTIFIER);
    const report: FailureReport = {
      task: ctx.task,
      host: ctx.host,
      exitCode: record.exitCode,
      summary: record.summary,
      recentLogLines: (log?.recent.get() ?? []).map(redactText),
      failedCommand: error instanceof CommandFailedError ? error.result : undefined,
      record,
    };
    const sent = await notifier.notify(report).catch((notifyError: unknown) => ({
      sent: false,
      to: [],
      subject: '',
      error: String(notifyError),
    }));
    if (!sent) return;
    ctx.changes.recordMail({ to: sent.to, subject: sent.subject, ok: sent.sent, error: sent.error });
    if (!sent.sent) ctx.logger.warn({ error: sent.error }, `could not send the failure mail: ${sent.error}`);
  }
}

function outcomeOf(error: unknown): RunOutcome {
  if (error === undefined) return 'ok';
  if (error instanceof LockedError) return 'locked';
  if (error instanceof PartialFailureError) return 'partial';
  return 'failed';
}

function failureSummary(task: string, error: unknown): string {
  const message = messageOf(error);
  return message.startsWith(`${task}:`) ? message : `${task}: ${message}`;
}

/** Enough to name what went wrong on a broken key repository, not a megabyte of journal. */
const MAX_PROBLEMS = 50;

function cappedProblems(error: PartialFailureError): string[] {
  const { problems } = error;
  if (problems.length <= MAX_PROBLEMS) return problems;
  return [...problems.slice(0, MAX_PROBLEMS), `… and ${problems.length - MAX_PROBLEMS} more problem(s)`];
}

function errorJson(error: unknown): NonNullable<TaskOutput<unknown>['error']> {
  if (error instanceof PartialFailureError)
    return { code: error.code, message: error.message, problems: cappedProblems(error) };
  if (error instanceof PhotonError) return { code: error.code, message: error.message };
  return { code: 'FAILED', message: messageOf(error) };
}

function serializeError(error: unknown) {
  if (error instanceof Error) return { type: error.name, message: error.message };
  return { message: String(error) };
}
