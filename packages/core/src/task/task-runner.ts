import path from 'node:path';
import { type DependencyContainer, container as rootContainer } from 'tsyringe';
import {
  CommandFailedError,
  ExitCode,
  exitCodeOf,
  FailedAfterChangesError,
  InterruptedError,
  LockedError,
  messageOf,
  PartialFailureError,
  PhotonError,
} from '../errors/errors.js';
import { FileStore } from '../fs/file-store.js';
import { RootSandbox } from '../fs/root-sandbox.js';
import { runTemps } from '../fs/run-temps.js';
import { GitService } from '../git/git-service.js';
import { type Clock, formatTimestamp, systemClock } from '../host/clock.js';
import { shortHostname } from '../host/hostname.js';
import { isTerminal } from '../host/stdio.js';
import { type FileChange, RunChanges } from '../journal/change-recorder.js';
import { decideIncident, errorFingerprint, IncidentLog } from '../journal/incidents.js';
import { Journal, type RunOutcome, type RunRecord, safeTaskName } from '../journal/journal.js';
import { TaskLock } from '../lock/task-lock.js';
import {
  createTaskLogger,
  type LineSink,
  type LogFormat,
  type LogLevel,
  type TaskLogger,
} from '../log/logger.js';
import { ProgressLine } from '../log/progress-line.js';
import { redactSecrets, redactText } from '../log/redact.js';
import { mailSettings } from '../mail/mail-settings.js';
import { Mailer } from '../mail/mailer.js';
import { writeTaskMetrics } from '../metrics/task-metrics.js';
import { ServiceManager } from '../services/service-manager.js';
import { photonSettings } from '../settings/core-settings.js';
import type { SettingsNamespace } from '../settings/namespace.js';
import { loadSettings, Settings } from '../settings/settings-loader.js';
import { Shell } from '../shell/shell.js';
import { randomHex } from '../text/random-hex.js';
import { coreNamespaces, registerCoreServices } from './core-services.js';
import type { FailureReport, NotifyResult } from './failure-notifier.js';
import { Interruption } from './interruption.js';
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
  /**
   * False for a long-running command that stops itself on SIGTERM/SIGINT (a server): its signal is
   * its normal end, not an interruption.
   */
  interruptible?: boolean;
  /** Write a journal record and mail on failure (false for read-only inspection commands). */
  journal: boolean;
  /** Someone watches the run (default: stdin and stderr are terminals); such runs mail only with `mail.attended`. */
  attended?: boolean;
  /**
   * Registrations made after core's: they replace the services core makes from settings
   * (GitService, Mailer, the failure notifier) for this run, and `ctx.git`/`ctx.mailer` return
   * them (a test's substitute: `(c) => c.register(Mailer, { useValue: fake })`).
   */
  register?: (container: DependencyContainer) => void;
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

/** A run's changes as the `--json` envelope shows them (commands as a count). */
export function changesJson(changes: RunChanges): TaskOutput<unknown>['changes'] {
  return { files: changes.files, services: changes.services, commands: changes.commands.length };
}

export interface TaskRunResult<R> {
  output: TaskOutput<R>;
  error?: unknown;
}

export type TaskBody<R> = (ctx: TaskContext) => Promise<R>;

/**
 * Runs one task in three steps: open (logger, settings, sandbox, services, DI container, lock),
 * the task's body, finish (exit code, log line, failure mail, journal). Never exits the
 * process; the exit code is in the output.
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
    const interruption = new Interruption(options.interruptible !== false);
    const state: RunState = { host: options.hostname ?? shortHostname() };
    let result: R | undefined;
    let error: unknown;
    // At a terminal, a run that takes a while says so on one line; under cron nothing is added.
    const progress =
      options.logStream === undefined && options.logLevel !== 'silent' && isTerminal(2)
        ? new ProgressLine({ write: (text) => process.stderr.write(text) }, options.task).start()
        : undefined;
    try {
      // open → body → finish. A signal ends the wait (the work then stops at its next program
      // or write).
      const open = { env, clock, started, runId, changes, state, signal: interruption.signal };
      result = await Promise.race([
        this.open(options, open).then((ctx) => body(ctx)),
        interruption.interrupted,
      ]);
    } catch (caught) {
      error = caught;
    }
    progress?.stop();
    if (interruption.signal.aborted) {
      error = interruption.signal.reason;
      await state.ctx?.shell.endAll(CHILD_GRACE_MS);
    }
    // What a failed or signalled run leaves unrenamed (writes still in flight) goes. A locked run
    // wrote nothing, and a successful one has nothing left (other in-process runs might).
    if (error !== undefined && !(error instanceof LockedError)) runTemps.removeAll();
    await state.lock?.release().catch(() => undefined);
    try {
      return await this.finish(options, {
        error,
        result,
        summarize,
        changes,
        state,
        clock,
        started,
        runId,
        interrupted: interruption.interrupted,
      });
    } finally {
      interruption.dispose();
    }
  }

  /** The open step: logger, settings, sandbox, services, DI container, lock. */
  private async open(
    options: TaskRunOptions,
    run: {
      env: NodeJS.ProcessEnv;
      clock: Clock;
      started: Date;
      runId: string;
      changes: RunChanges;
      state: RunState;
      signal: AbortSignal;
    },
  ): Promise<TaskContext> {
    const { env, clock, changes, state, signal } = run;
    const interactive = options.logStream === undefined && isTerminal(2);
    const log = await createTaskLogger({
      level: options.logLevel ?? (interactive ? 'info' : 'warn'),
      format: options.logFormat ?? (interactive ? 'pretty' : 'json'),
      file: options.logFile,
      bindings: { task: options.task, run: run.runId },
      stream: options.logStream,
      // https://no-color.org: any non-empty NO_COLOR turns colour off.
      color: interactive && !env.NO_COLOR,
    });
    state.log = log;
    const sandbox = new RootSandbox(options.root);
    const settings = await loadSettings({
      sandbox,
      env,
      hostname: state.host,
      timestamp: formatTimestamp(run.started),
      configFiles: options.configFiles,
      // What the runner reads itself, and what the task declares. Git settings are validated by
      // the tasks that declare them (and by GitService on first use): a mistake there fails the
      // git jobs, not fastd's or alfred's. `photon config validate` checks every namespace.
      namespaces: [photonSettings, mailSettings, ...options.namespaces],
      knownNamespaces: [...new Set([...coreNamespaces.map((ns) => ns.name), ...options.knownNamespaces])],
    });
    const photon = settings.get(photonSettings);
    state.host = photon.hostname ?? state.host;
    const host = state.host;
    const dataDir = photon.dataDir ?? env.PHOTON_DATA_DIR ?? options.defaultDataDir;
    const logger = log.logger;
    const shell = new Shell({
      dryRun: options.dryRun,
      defaultTimeoutMs: photon.commandTimeoutSeconds * 1000,
      recorder: changes,
      logger,
      signal,
    });
    const files = new FileStore(sandbox, {
      dryRun: options.dryRun,
      recorder: changes,
      logger,
      clock,
      signal,
    });
    const services = new ServiceManager(shell, photon.services, changes, logger);
    const journal = new Journal(sandbox.resolve(path.join(dataDir, 'runs')), photon.journal.keep);
    const incidents = new IncidentLog(sandbox.resolve(path.join(dataDir, 'incidents')));
    const container = rootContainer.createChildContainer();
    const ctx: TaskContext = {
      task: options.task,
      runId: run.runId,
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
      incidents,
      changes,
      get git() {
        return container.resolve(GitService);
      },
      get mailer() {
        return container.resolve(Mailer);
      },
      container,
    };
    state.ctx = ctx;
    state.incidents = incidents;
    container.register(Settings, { useValue: settings });
    container.register(Shell, { useValue: shell });
    container.register(FileStore, { useValue: files });
    container.register(ServiceManager, { useValue: services });
    container.register(Journal, { useValue: journal });
    container.register(IncidentLog, { useValue: incidents });
    container.register(RootSandbox, { useValue: sandbox });
    container.register(LOGGER, { useValue: logger });
    container.register(CLOCK, { useValue: clock });
    container.register(HOSTNAME, { useValue: host });
    container.register(DRY_RUN, { useValue: options.dryRun });
    container.register(TASK_CONTEXT, { useValue: ctx });
    await registerCoreServices(ctx);
    options.register?.(container);
    log.recent.limit = settings.get(mailSettings).logLines;

    // A dry run changes nothing, so it neither needs nor takes the lock.
    if (options.lock && !options.dryRun) {
      const lock = new TaskLock(
        sandbox.resolve(
          path.join(photon.lockDir ?? path.join(dataDir, 'locks'), `${safeTaskName(options.task)}.lock`),
        ),
        options.task,
      );
      state.lock = lock;
      await lock.acquire({ waitSeconds: options.waitSeconds });
      // Interrupted while waiting: the lock was taken for nothing.
      if (signal.aborted) await lock.release();
      signal.throwIfAborted();
    }
    return ctx;
  }

  /**
   * The finish step of every run (also of a failed or interrupted one): exit code and summary,
   * the log line, the failure mail and its incident, the journal record.
   */
  private async finish<R>(
    options: TaskRunOptions,
    run: {
      error: unknown;
      result: R | undefined;
      summarize: (result: R) => string;
      changes: RunChanges;
      state: RunState;
      clock: Clock;
      started: Date;
      runId: string;
      /** Rejects when a signal arrives (see Interruption). */
      interrupted: Promise<never>;
    },
  ): Promise<TaskRunResult<R>> {
    const { changes, state, clock, started, runId, result } = run;
    const { ctx, log, host } = state;
    const error = reportedError(run.error, changes);
    const exitCode = error === undefined ? ExitCode.Ok : exitCodeOf(error);
    const summary = error === undefined ? run.summarize(result as R) : failureSummary(options.task, error);
    const logger = log?.logger;
    if (error instanceof PartialFailureError && !error.listedInOutput) {
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
      changes: changesJson(changes),
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
      if (options.journal && !options.dryRun && !(error instanceof InterruptedError)) {
        // The notifier's mail is recorded into changes.mails, the array the record holds.
        const notified = this.notify(ctx, state, error, record, options.attended ?? isAttended()).catch(
          (notifyError: unknown) => {
            logger?.warn({ error: serializeError(notifyError) }, 'could not keep the incident state');
          },
        );
        // A signal while the mail is on its way (an SMTP server taking its time) does not wait for it.
        await Promise.race([notified, run.interrupted.catch(() => undefined)]);
      }
      if (options.journal && !options.dryRun) {
        await ctx.journal.write(redactSecrets(record)).catch((journalError: unknown) => {
          logger?.warn({ error: serializeError(journalError) }, 'could not write the run journal');
        });
      }
      // Prometheus (issue 17): the task's node_exporter textfile, when photon.metrics.textfileDir is set.
      const textfileDir = ctx.settings.get(photonSettings).metrics.textfileDir;
      if (textfileDir && options.journal && !options.dryRun) {
        const run = { ...record, start: started, changes: changes.files.length + changes.services.length };
        await writeTaskMetrics(ctx.sandbox.resolve(textfileDir), run).catch((metricsError: unknown) => {
          logger?.warn({ error: serializeError(metricsError) }, 'could not write the Prometheus textfile');
        });
      }
    }
    log?.flush();
    return { output, error };
  }

  /**
   * The run's place in its task's incident, and the failure (or recovery) mail that follows
   * from it. Both go into the journal record (`incident`, `mails`).
   */
  private async notify(
    ctx: TaskContext,
    state: RunState,
    error: unknown,
    record: RunRecord,
    attended: boolean,
  ): Promise<void> {
    const incidents = state.incidents as IncidentLog;
    const mail = ctx.settings.get(mailSettings);
    const open = await incidents.get(ctx.task);
    const { note, next } = decideIncident(
      open,
      {
        task: ctx.task,
        exitCode: record.exitCode,
        fingerprint: errorFingerprint(record.exitCode, record.error?.code ?? '', record.error?.message ?? ''),
        summary: record.summary,
        at: new Date(record.start),
      },
      mail.reminderHours * 3_600_000,
    );
    if (note) record.incident = note;
    const sent = await this.sendMail(ctx, error, record, state.log, attended);
    if (next) {
      await incidents.put(sent?.sent && record.exitCode !== 0 ? { ...next, mailedAt: record.end } : next);
    } else if (open) {
      await incidents.close(ctx.task);
    }
  }

  private async sendMail(
    ctx: TaskContext,
    error: unknown,
    record: RunRecord,
    log: TaskLogger | undefined,
    attended: boolean,
  ): Promise<NotifyResult | undefined> {
    if (!ctx.container.isRegistered(FAILURE_NOTIFIER)) return undefined;
    const notifier = ctx.container.resolve(FAILURE_NOTIFIER);
    const report: FailureReport = {
      task: ctx.task,
      host: ctx.host,
      exitCode: record.exitCode,
      summary: record.summary,
      recentLogLines: (log?.recent.get() ?? []).map(redactText),
      failedCommand: error instanceof CommandFailedError ? error.result : undefined,
      record,
      incident: record.incident,
      attended,
    };
    const sent = await notifier.notify(report).catch((notifyError: unknown) => ({
      sent: false,
      to: [],
      subject: '',
      error: String(notifyError),
    }));
    if (!sent) return undefined;
    ctx.changes.recordMail({ to: sent.to, subject: sent.subject, ok: sent.sent, error: sent.error });
    if (!sent.sent) ctx.logger.warn({ error: sent.error }, `could not send the failure mail: ${sent.error}`);
    return sent;
  }
}

/** What the steps of one run share as they go. */
interface RunState {
  host: string;
  log?: TaskLogger;
  ctx?: TaskContext;
  lock?: TaskLock;
  incidents?: IncidentLog;
}

/** How long programs get to end after SIGTERM when the run is interrupted (then SIGKILL). */
const CHILD_GRACE_MS = 1_000;

/** Someone watches the run: stdin and stderr are terminals (cron and systemd runs have neither). */
function isAttended(): boolean {
  return isTerminal(0) && isTerminal(2);
}

/**
 * A usage, config or sandbox error (exit 2, "nothing was changed") raised after the run had
 * changed files or services is reported as what it is: a failure after changes (exit 1).
 */
function reportedError(error: unknown, changes: RunChanges): unknown {
  if (!(error instanceof PhotonError) || error.exitCode !== ExitCode.Config) return error;
  const changed = [
    ...changes.files.filter((f) => !f.dryRun).map((f) => `${f.action} ${f.path}`),
    ...changes.services.filter((s) => !s.dryRun).map((s) => `${s.action} ${s.unit}`),
  ];
  return changed.length === 0 ? error : new FailedAfterChangesError(error, changed);
}

/** The outcome of a journaled run (a locked run writes no record: its holder writes its own). */
function outcomeOf(error: unknown): RunOutcome {
  if (error === undefined) return 'ok';
  if (error instanceof InterruptedError) return 'interrupted';
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
