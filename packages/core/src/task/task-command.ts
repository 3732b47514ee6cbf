import { format } from 'node:util';
import type { Interfaces } from '@oclif/core';
import { Command } from '@oclif/core/command';
import * as Flags from '@oclif/core/flags';
import { writeStdout } from '../host/stdio.js';
import type { LogFormat, LogLevel } from '../log/logger.js';
import { redactingReplacer, redactText } from '../log/redact.js';
import type { SettingsNamespace } from '../settings/namespace.js';
import { discoverNamespaces } from './plugin-namespaces.js';
import type { TaskContext } from './task-context.js';
import { type TaskOutput, TaskRunner } from './task-runner.js';

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

/**
 * Base class of every photon task command. Subclasses declare `settings` (the namespaces
 * they read) and implement `execute` and `summarize`; the base parses the common flags,
 * builds the run (settings, logger, sandbox, lock, DI), maps errors to exit codes,
 * writes the journal and notifies on failure.
 */
export abstract class TaskCommand<T extends typeof Command, R> extends Command {
  static override enableJsonFlag = true;

  static override baseFlags = {
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
    'dry-run': Flags.boolean({
      char: 'n',
      summary: 'Show what would change; change nothing.',
      default: false,
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

  /** Settings namespaces this command reads (validated before `execute`). */
  static settings: SettingsNamespace[] = [];
  /** Read-only commands (status, verify, history) neither lock, nor journal, nor mail. */
  static readOnly = false;

  protected flags!: TaskFlags<T>;
  protected args!: TaskArgs<T>;
  /** All positional arguments, for commands with variadic arguments (`static strict = false`). */
  protected positionals: string[] = [];

  /** Task name used for the lock, the journal and mails; defaults to the command id. */
  protected taskName(): string {
    return (this.id ?? this.constructor.name).replaceAll(':', '-');
  }

  protected abstract execute(ctx: TaskContext): Promise<R>;

  /** The one summary line of a successful run. */
  protected abstract summarize(result: R): string;

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
    const { output, error } = await new TaskRunner().run<R>(
      {
        task: this.taskName(),
        argv: this.argv,
        configFiles: this.flags.config ?? [],
        root: this.flags.root,
        dryRun: this.flags['dry-run'],
        logLevel: this.flags['log-level'] as LogLevel | undefined,
        logFormat: this.flags['log-format'] as LogFormat | undefined,
        logFile: this.flags['log-file'],
        lock: this.flags.lock && !readOnly,
        waitSeconds: this.flags.wait,
        namespaces: ctor.settings,
        knownNamespaces: discoverNamespaces(this.config),
        defaultDataDir: this.config.dataDir,
        journal: !readOnly,
      },
      (ctx) => this.execute(ctx),
      (result) => this.summarize(result),
    );
    if (error !== undefined) {
      // A partial run (exit 5) still has a result worth showing: the table of what was done.
      if (!this.jsonEnabled() && output.result !== undefined) {
        for (const line of this.render(output.result as R, output)) this.log(line);
      }
      throw new TaskExit(output.exitCode, output as TaskOutput<unknown>);
    }
    if (!this.jsonEnabled()) for (const line of this.render(output.result as R, output)) this.log(line);
    return output;
  }

  /** Plain JSON: oclif's colorizing costs seconds and memory on large results, and pipes don't want it. */
  public override logJson(json: unknown): void {
    writeStdout(`${JSON.stringify(json, redactingReplacer, 2)}\n`);
  }

  /** As oclif's (nothing with --json), written straight to stdout: see host/stdio.ts. */
  public override log(message = '', ...args: unknown[]): void {
    if (!this.jsonEnabled()) writeStdout(`${redactText(format(message, ...args))}\n`);
  }

  protected override toErrorJson(error: unknown): unknown {
    if (error instanceof TaskExit) return error.output;
    return super.toErrorJson(error);
  }
}
