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
import { isPartial, type PartialOutcome, type TaskOutcome } from './partial-outcome.js';
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
  /** What the body threw (or the signal): a partial outcome is no error, `output.ok` is false. */
  error?: unknown;
}

/** A task's work: its result, or a partial outcome (`partial(result, problems, message)`, exit 5). */
export type TaskBody<R> = (ctx: TaskContext) => Promise<TaskOutcome<R>>;

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
    // Boxed: a task's result may itself be undefined (a body that returns nothing).
    let returned: { outcome: TaskOutcome<R> } | undefined;
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
      returned = {
        outcome: await Promise.race([
          this.open(options, open).then((ctx) => body(ctx)),
          interruption.interrupted,
        ]),
      };
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
        returned,
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
      returned: { outcome: TaskOutcome<R> } | undefined;
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
    const { changes, state, clock, started, runId } = run;
    const { ctx, log, host } = state;
    const end = runEnd(reportedError(run.error, changes), run.returned);
    const error = end.kind === 'failed' ? end.error : undefined;
    const { exitCode, summary, outcome, fields } = settle(options.task, end, run.summarize);
    const logger = log?.logger;
    if (end.kind === 'partial' && !end.outcome.listedInOutput) {
      // Each refused input by name, here once for every task: the log, the failure mail (which
      // quotes the last log lines) and the journal all get the reasons, not just a count.
      for (const problem of cappedProblems(end.outcome.problems)) logger?.warn({ problem }, problem);
    }
    if (end.kind === 'done') logger?.info({ exitCode }, summary);
    else if (end.kind === 'partial')
      logger?.error({ exitCode, problems: end.outcome.problems.length }, summary);
    else if (error instanceof LockedError) logger?.warn({ exitCode }, summary);
    else logger?.error({ exitCode, error: serializeError(error) }, summary);

    const output: TaskOutput<R> = {
      ok: end.kind === 'done',
      task: options.task,
      host,
      dryRun: options.dryRun,
      exitCode,
      summary,
      changes: changesJson(changes),
      ...fields,
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
        outcome,
        exitCode,
        summary,
        ...(fields.error === undefined ? {} : { error: fields.error }),
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

/** How a run ended: the body's result, its partial outcome, or what was thrown (or a signal). */
type RunEnd<R> =
  | { kind: 'done'; result: R }
  | { kind: 'partial'; outcome: PartialOutcome<R> }
  | { kind: 'failed'; error: unknown };

function runEnd<R>(error: unknown, returned: { outcome: TaskOutcome<R> } | undefined): RunEnd<R> {
  // The body returns or throws, so one of them is there; an error (a signal) wins over a result.
  if (error !== undefined || returned === undefined) return { kind: 'failed', error };
  const { outcome } = returned;
  return isPartial(outcome) ? { kind: 'partial', outcome } : { kind: 'done', result: outcome };
}

/**
 * What a run's end makes of its exit code, summary line and journal outcome, and its `--json`
 * fields: a complete run its result; a failed one its error; a partial one both (what it did is
 * as much a part of the contract as a complete run's result).
 */
function settle<R>(
  task: string,
  end: RunEnd<R>,
  summarize: (result: R) => string,
): { exitCode: number; summary: string; outcome: RunOutcome; fields: { error?: ErrorJson; result?: R } } {
  switch (end.kind) {
    case 'done':
      return {
        exitCode: ExitCode.Ok,
        summary: summarize(end.result),
        outcome: 'ok',
        fields: { result: end.result },
      };
    case 'partial':
      return {
        exitCode: ExitCode.Partial,
        summary: failureSummary(task, end.outcome.message),
        outcome: 'partial',
        fields: { error: partialJson(end.outcome), result: end.outcome.result },
      };
    case 'failed':
      return {
        exitCode: exitCodeOf(end.error),
        summary: failureSummary(task, messageOf(end.error)),
        outcome: outcomeOf(end.error),
        fields: { error: errorJson(end.error) },
      };
  }
}

/** The outcome of a failed journaled run (a locked run writes no record: its holder writes its own). */
function outcomeOf(error: unknown): RunOutcome {
  return error instanceof InterruptedError ? 'interrupted' : 'failed';
}

function failureSummary(task: string, message: string): string {
  return message.startsWith(`${task}:`) ? message : `${task}: ${message}`;
}

/** Enough to name what went wrong on a broken key repository, not a megabyte of journal. */
const MAX_PROBLEMS = 50;

function cappedProblems(problems: readonly string[]): string[] {
  if (problems.length <= MAX_PROBLEMS) return [...problems];
  return [...problems.slice(0, MAX_PROBLEMS), `… and ${problems.length - MAX_PROBLEMS} more problem(s)`];
}

type ErrorJson = NonNullable<TaskOutput<unknown>['error']>;

/** The `--json` error of a partial run: the same shape a thrown error has, with its problems. */
function partialJson(outcome: PartialOutcome<unknown>): ErrorJson {
  return { code: 'PARTIAL', message: outcome.message, problems: cappedProblems(outcome.problems) };
}

function errorJson(error: unknown): ErrorJson {
  if (error instanceof PhotonError) return { code: error.code, message: error.message };
  return { code: 'FAILED', message: messageOf(error) };
}

function serializeError(error: unknown) {
  if (error instanceof Error) return { type: error.name, message: error.message };
  return { message: String(error) };
}
