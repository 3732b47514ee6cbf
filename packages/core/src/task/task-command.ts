import { format } from 'node:util';
import type { Interfaces } from '@oclif/core';
import { Command } from '@oclif/core/command';
import * as Flags from '@oclif/core/flags';
import { ExitCode } from '../errors/errors.js';
import { shortHostname } from '../host/hostname.js';
import { isTerminal, writeStdout } from '../host/stdio.js';
import { RunChanges } from '../journal/change-recorder.js';
import type { LogFormat, LogLevel } from '../log/logger.js';
import { redactingReplacer, redactText } from '../log/redact.js';
import type { SettingsNamespace } from '../settings/namespace.js';
import { type ChangeVerb, changeClaim, changeDone } from '../text/change-claim.js';
import { closestWord } from '../text/closest-word.js';
import type { TaskOutcome } from './partial-outcome.js';
import { discoverNamespaces } from './plugin-namespaces.js';
import type { TaskContext } from './task-context.js';
import { changesJson, type TaskOutput, TaskRunner } from './task-runner.js';

export type TaskFlags<T extends typeof Command> = Interfaces.InferredFlags<
  (typeof TaskCommand)['baseFlags'] & T['flags']
>;
export type TaskArgs<T extends typeof Command> = Interfaces.InferredArgs<T['args']>;

/** Carries the exit code through oclif's error handler after TaskCommand has reported it. */
class TaskExit extends Error {
  readonly oclif: { exit: number };
  readonly skipOclifErrorHandling = true;
  constructor(
    readonly exitCode: number,
    readonly output: TaskOutput<unknown>,
  ) {
    super(output.summary);
    this.oclif = { exit: exitCode };
  }
}

/** Flags of every task command. */
const commonFlags = {
  config: Flags.string({
    char: 'c',
    summary:
      'Read this settings file after /etc/photon/photon.yaml and ~/.config/photon/photon.yaml (repeatable).',
    multiple: true,
    // One value per --config, so positional arguments after it stay arguments.
    multipleNonGreedy: true,
    helpGroup: 'GLOBAL',
  }),
  root: Flags.string({
    summary: 'Resolve every absolute path under this directory (a sandbox for tests and demos).',
    helpGroup: 'GLOBAL',
  }),
  'log-level': Flags.option({
    options: ['trace', 'debug', 'info', 'warn', 'error', 'silent'] as const,
    summary: 'Console log level (default: info on a terminal, warn otherwise).',
    helpGroup: 'GLOBAL',
  })(),
  'log-format': Flags.option({
    options: ['pretty', 'json'] as const,
    summary: 'Console log format (default: pretty on a terminal, json otherwise).',
    helpGroup: 'GLOBAL',
  })(),
  'log-file': Flags.string({
    summary: 'Append JSON log lines (info and up) to this file.',
    helpGroup: 'GLOBAL',
  }),
};

/** Flags of task commands that change something (not of `readOnly` ones, where they do nothing). */
const changeFlags = {
  'dry-run': Flags.boolean({
    char: 'n',
    summary: 'Show what would change; change nothing.',
    default: false,
    helpGroup: 'GLOBAL',
  }),
  lock: Flags.boolean({
    summary: 'Take the per-task lock (--no-lock to skip it).',
    default: true,
    allowNo: true,
    helpGroup: 'GLOBAL',
  }),
  wait: Flags.integer({
    summary: 'Wait up to this many seconds for a running instance instead of exiting 75.',
    default: 0,
    min: 0,
    helpGroup: 'GLOBAL',
  }),
};

const taskFlags = { ...commonFlags, ...changeFlags };

/**
 * Base class of every photon task command. Subclasses declare `settings` (the namespaces
 * they read) and implement `execute` and `summarize`; the base parses the common flags,
 * builds the run (settings, logger, sandbox, lock, DI), maps errors to exit codes,
 * writes the journal and notifies on failure.
 */
export abstract class TaskCommand<T extends typeof Command, R> extends Command {
  static override enableJsonFlag = true;

  /** `commonFlags` and `changeFlags` (`ReadOnlyTaskCommand` has only `commonFlags`). */
  static override baseFlags = taskFlags;

  /** Settings namespaces this command reads (validated before `execute`). */
  static settings: SettingsNamespace[] = [];
  /** True for `ReadOnlyTaskCommand`s: they neither lock, nor journal, nor mail. */
  static readOnly = false;
  /**
   * A long-running command (a server) that ends itself on SIGTERM/SIGINT and returns its result:
   * the runner then leaves those signals to it instead of interrupting the run.
   */
  static stopsOnSignal = false;

  protected flags!: TaskFlags<T>;
  protected args!: TaskArgs<T>;
  /** All positional arguments, for commands with variadic arguments (`static strict = false`). */
  protected positionals: string[] = [];

  /** Task name used for the lock, the journal and mails; defaults to the command id. */
  protected taskName(): string {
    return (this.id ?? this.constructor.name).replaceAll(':', '-');
  }

  /** The task's work: its result, or `partial(result, problems, message)` when it refused some inputs (exit 5). */
  protected abstract execute(ctx: TaskContext): Promise<TaskOutcome<R>>;

  /** The one summary line of a successful run. */
  protected abstract summarize(result: R): string;

  /** A change claim for summaries and output: "wrote", or "would write" in a dry run. */
  protected did(verb: ChangeVerb): string {
    return changeClaim(verb, this.flags?.['dry-run'] === true);
  }

  /** The same as a participle after a count: "3 written", or "3 would be written" in a dry run. */
  protected done(verb: ChangeVerb): string {
    return changeDone(verb, this.flags?.['dry-run'] === true);
  }

  /** Lines printed on stdout after a successful run without --json (e.g. tables, plans). */
  protected render(_result: R, _ctx: TaskOutput<R>): string[] {
    return [];
  }

  public override async run(): Promise<TaskOutput<R>> {
    const ctor = this.constructor as typeof TaskCommand & T;
    const { flags, args, argv } = await this.parse({
      flags: ctor.flags,
      baseFlags: (super.ctor as typeof TaskCommand).baseFlags,
      enableJsonFlag: ctor.enableJsonFlag,
      args: ctor.args,
      strict: ctor.strict,
    });
    this.flags = flags as TaskFlags<T>;
    this.args = args as TaskArgs<T>;
    this.positionals = argv.map(String);
    const readOnly = ctor.readOnly;
    const { output } = await new TaskRunner().run<R>(
      {
        task: this.taskName(),
        argv: this.argv,
        configFiles: this.flags.config ?? [],
        root: this.flags.root,
        // A read-only command has no --dry-run, --lock or --wait: undefined there.
        dryRun: this.flags['dry-run'] === true,
        logLevel: this.flags['log-level'] as LogLevel | undefined,
        logFormat: this.flags['log-format'] as LogFormat | undefined,
        logFile: this.flags['log-file'],
        lock: this.flags.lock === true && !readOnly,
        waitSeconds: this.flags.wait ?? 0,
        namespaces: ctor.settings,
        knownNamespaces: discoverNamespaces(this.config),
        defaultDataDir: this.config.dataDir,
        journal: !readOnly,
        interruptible: !ctor.stopsOnSignal,
      },
      (ctx) => this.execute(ctx),
      (result) => this.summarize(result),
    );
    if (!output.ok) {
      // A partial run (exit 5) still has a result worth showing: the table of what was done.
      if (!this.jsonEnabled() && output.result !== undefined) this.print(output);
      throw new TaskExit(output.exitCode, output as TaskOutput<unknown>);
    }
    if (!this.jsonEnabled()) this.print(output);
    return output;
  }

  /** The rendered lines, without the summary where the terminal's log already showed it. */
  private print(output: TaskOutput<R>): void {
    const level = this.flags['log-level'];
    const summaryLogged =
      isTerminal(2) && (level === undefined || ['trace', 'debug', 'info'].includes(level));
    for (const line of this.render(output.result as R, output)) {
      if (!(summaryLogged && line === output.summary)) this.log(line);
    }
  }

  /** Plain JSON: oclif's colorizing costs seconds and memory on large results, and pipes don't want it. */
  public override logJson(json: unknown): void {
    writeStdout(`${JSON.stringify(json, redactingReplacer, 2)}\n`);
  }

  /** As oclif's (nothing with --json), written straight to stdout: see host/stdio.ts. */
  public override log(message = '', ...args: unknown[]): void {
    if (!this.jsonEnabled()) writeStdout(`${redactText(format(message, ...args))}\n`);
  }

  /**
   * oclif's parse errors (unknown flag, bad option value, missing argument) are usage errors:
   * exit 2 like photon's own, and an unknown flag gets the nearest real one as a hint.
   */
  public override async catch(
    error: Error & { parse?: unknown; flags?: string[]; oclif?: { exit?: number }; exitCode?: number },
  ) {
    if (error.parse !== undefined) {
      error.oclif = { ...error.oclif, exit: ExitCode.Config };
      // With --json, oclif's catch sets the process's exit code from `exitCode` (it was 1 there).
      error.exitCode = ExitCode.Config;
      const hint = Array.isArray(error.flags) ? this.flagHint(error.flags) : undefined;
      if (hint) error.message = error.message.replace(/\n|$/, `. Did you mean ${hint}?\n`).trimEnd();
    }
    return super.catch(error);
  }

  private flagHint(typed: string[]): string | undefined {
    const ctor = this.constructor as typeof TaskCommand;
    const known = Object.entries({ ...ctor.baseFlags, ...ctor.flags }).flatMap(([name, flag]) => [
      `--${name}`,
      ...((flag as { allowNo?: boolean }).allowNo ? [`--no-${name}`] : []),
    ]);
    const hints = typed.flatMap((flag) => closestWord(flag.split('=')[0], known) ?? []);
    return hints.length > 0 ? hints.join(', ') : undefined;
  }

  /**
   * The `--json` document of a run that failed: the runner's envelope, and for a usage error
   * that oclif found before the run the same envelope (oclif's own held its whole config).
   */
  protected override toErrorJson(error: unknown): unknown {
    if (error instanceof TaskExit) return error.output;
    const usage = error as { parse?: unknown; message?: string };
    if (usage.parse === undefined) return super.toErrorJson(error);
    const message = String(usage.message ?? 'usage error');
    const output: TaskOutput<never> = {
      ok: false,
      task: this.taskName(),
      host: shortHostname(),
      dryRun: false,
      exitCode: ExitCode.Config,
      summary: `${this.taskName()}: ${message.split('\n')[0]}`,
      changes: changesJson(new RunChanges()),
      error: { code: 'USAGE', message },
    };
    return output;
  }
}

/**
 * Base of task commands that change nothing (status, verify, history): no lock, no journal, no
 * failure mail, and no --dry-run, --lock or --wait, which would do nothing there.
 */
export abstract class ReadOnlyTaskCommand<T extends typeof Command, R> extends TaskCommand<T, R> {
  static override readOnly = true;
  // oclif collects static properties up the class chain, the nearest first: this hides changeFlags.
  static override baseFlags = commonFlags as typeof taskFlags;
}
