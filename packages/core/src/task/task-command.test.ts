import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Args, Config, Flags } from '@oclif/core';
import { describe, expect, it } from 'vitest';
import { captureStdout, isTerminal } from '../host/stdio.js';
import { TaskLock } from '../lock/task-lock.js';
import { defineSettings } from '../settings/namespace.js';
import { z } from '../settings/zod.js';
import { partial, type TaskOutcome } from './partial-outcome.js';
import { ReadOnlyTaskCommand, TaskCommand } from './task-command.js';
import type { TaskContext } from './task-context.js';
import type { TaskOutput } from './task-runner.js';

// Commands run in-process the way the binary runs them (oclif parsing, TaskRunner), with a stand-in
// plugin as the oclif root (it declares the test's settings namespace) and every path under a fresh --root.
const greeting = defineSettings('greeting', 'test', z.strictObject({ word: z.string().default('hello') }));

interface Greeted {
  file: string;
  secretToken: string;
}

class Greet extends TaskCommand<typeof Greet, Greeted> {
  static override id = 'demo:greet';
  static override settings = [greeting];
  static override flags = {
    name: Flags.string({ default: 'world' }),
    fail: Flags.boolean({ default: false }),
  };

  protected override async execute(ctx: TaskContext): Promise<TaskOutcome<Greeted>> {
    await ctx.files.writeIfChanged(
      '/etc/greeting',
      `${ctx.settings.get(greeting).word} ${this.flags.name}\n`,
    );
    const result = { file: '/etc/greeting', secretToken: 'hunter22' };
    return this.flags.fail ? partial(result, ['name: refused'], 'greet: 1 name refused') : result;
  }

  protected override summarize(result: Greeted): string {
    return `greet: ${this.did('write')} ${result.file}, 1 ${this.done('write')}`;
  }

  protected override render(result: Greeted, output: TaskOutput<Greeted>): string[] {
    return [output.summary, `file ${result.file}`, `url https://admin:s3cret@example.org/`];
  }
}

/** No id (oclif names it by its class), variadic arguments, changes nothing. */
class Show extends ReadOnlyTaskCommand<typeof Show, string[]> {
  static override strict = false;
  static override args = { what: Args.string() };

  protected override async execute(): Promise<string[]> {
    return this.positionals;
  }

  protected override summarize(result: string[]): string {
    return `show: ${result.join(' ')}; ${this.did('write')}`;
  }
}

type Runnable = { run(argv: string[], config: Config): Promise<unknown> };

let config: Promise<Config> | undefined;

/** Runs a command; returns what it returned or threw, its stdout and the exit code oclif set. */
async function run(command: Runnable, argv: string[]) {
  if (!config) {
    const pluginRoot = mkdtempSync(path.join(os.tmpdir(), 'photon-plugin-'));
    const pjson = {
      name: 'photon-plugin-greet',
      version: '1.0.0',
      photon: { settings: { greeting: './greeting.js' } },
    };
    writeFileSync(path.join(pluginRoot, 'package.json'), JSON.stringify(pjson));
    config = Config.load({ root: pluginRoot });
  }
  const loaded = await config;
  const printed: string[] = [];
  const exitCode = process.exitCode;
  captureStdout((text) => printed.push(text));
  try {
    process.exitCode = undefined;
    const returned = (await command.run(argv, loaded)) as TaskOutput<unknown> | undefined;
    return { returned, stdout: printed.join(''), exitCode: process.exitCode };
  } catch (thrown) {
    return {
      thrown: thrown as Error & { oclif?: { exit?: number }; output?: TaskOutput<unknown> },
      stdout: printed.join(''),
    };
  } finally {
    captureStdout(undefined);
    process.exitCode = exitCode;
  }
}

function sandbox() {
  const root = mkdtempSync(path.join(os.tmpdir(), 'photon-command-'));
  const settings = path.join(root, 'test.yaml');
  writeFileSync(settings, 'photon:\n  dataDir: /var/lib/photon\ngreeting:\n  word: moin\n');
  const runs = (task: string) => {
    const dir = path.join(root, 'var/lib/photon/runs', task);
    return existsSync(dir) ? readdirSync(dir) : [];
  };
  return { root, settings, runs };
}

const okOutput = (dryRun: boolean, summary: string) => ({
  ok: true,
  task: 'demo-greet',
  host: expect.any(String),
  dryRun,
  exitCode: 0,
  summary,
  changes: { files: [{ path: '/etc/greeting', action: 'create', dryRun }], services: [], commands: 0 },
  result: { file: '/etc/greeting', secretToken: 'hunter22' },
});

describe('TaskCommand', () => {
  it('runs the task with --config and --root, prints its rendered lines (redacted) and journals the run', async () => {
    const { root, settings, runs } = sandbox();
    const logFile = path.join(root, 'photon.log');
    const { returned, stdout } = await run(Greet, [
      '--root',
      root,
      '-c',
      settings,
      '--name',
      'kaschu',
      '--log-file',
      logFile,
    ]);
    const summary = 'greet: wrote /etc/greeting, 1 written';
    expect(returned).toEqual(okOutput(false, summary));
    expect(readFileSync(path.join(root, 'etc/greeting'), 'utf8')).toBe('moin kaschu\n');
    // At a terminal the log has shown the summary already (level info); a pipe gets it here.
    expect(stdout).toBe(
      `${isTerminal(2) ? '' : `${summary}\n`}file /etc/greeting\nurl https://admin:***@example.org/\n`,
    );
    const [record] = runs('demo-greet');
    expect(
      JSON.parse(readFileSync(path.join(root, 'var/lib/photon/runs/demo-greet', record), 'utf8')),
    ).toMatchObject({
      task: 'demo-greet',
      argv: ['--root', root, '-c', settings, '--name', 'kaschu', '--log-file', logFile],
      outcome: 'ok',
      summary,
    });
    expect(readFileSync(logFile, 'utf8')).toContain(`"msg":"${summary}"`);
  });

  it('prints the summary line with a log level that hides it from the console', async () => {
    const { root, settings } = sandbox();
    const { stdout } = await run(Greet, ['--root', root, '-c', settings, '--log-level', 'warn']);
    expect(stdout).toBe(
      'greet: wrote /etc/greeting, 1 written\nfile /etc/greeting\nurl https://admin:***@example.org/\n',
    );
  });

  it('--json prints the output envelope alone, secrets redacted', async () => {
    const { root, settings } = sandbox();
    const { returned, stdout } = await run(Greet, ['--root', root, '-c', settings, '--json']);
    const expected = okOutput(false, 'greet: wrote /etc/greeting, 1 written');
    expect(returned).toEqual(expected);
    expect(JSON.parse(stdout)).toEqual({
      ...expected,
      result: { file: '/etc/greeting', secretToken: '***' },
    });
    expect(stdout).toBe(`${JSON.stringify(JSON.parse(stdout), null, 2)}\n`);
  });

  it('--dry-run (-n) changes nothing, journals nothing and says "would"', async () => {
    const { root, settings, runs } = sandbox();
    const { returned } = await run(Greet, ['--root', root, '-c', settings, '-n']);
    expect(returned).toEqual(okOutput(true, 'greet: would write /etc/greeting, 1 would be written'));
    expect(existsSync(path.join(root, 'etc/greeting'))).toBe(false);
    expect(runs('demo-greet')).toEqual([]);
  });

  it('a failed run throws its exit code with the output, and still prints what a partial run did', async () => {
    const { root, settings, runs } = sandbox();
    const { thrown, stdout } = await run(Greet, [
      '--root',
      root,
      '-c',
      settings,
      '--fail',
      '--log-level',
      'silent',
    ]);
    expect(thrown?.oclif).toEqual({ exit: 5 });
    expect(thrown?.message).toBe(thrown?.output?.summary);
    expect(thrown?.output).toMatchObject({ ok: false, exitCode: 5, error: { code: 'PARTIAL' } });
    expect(stdout).toBe(
      `${thrown?.output?.summary}\nfile /etc/greeting\nurl https://admin:***@example.org/\n`,
    );
    expect(runs('demo-greet')).toHaveLength(1);

    // With --json oclif prints the error's JSON (the output) instead of throwing.
    const json = await run(Greet, [
      '--root',
      root,
      '-c',
      settings,
      '--fail',
      '--json',
      '--log-level',
      'silent',
    ]);
    expect(json).toMatchObject({ returned: undefined, exitCode: 5 });
    expect(JSON.parse(json.stdout)).toEqual({
      ...thrown?.output,
      changes: { files: [], services: [], commands: 0 },
      result: { file: '/etc/greeting', secretToken: '***' },
    });
  });

  it('takes the task lock: exit 75 while another run holds it, --no-lock runs anyway, --wait outlasts the holder', async () => {
    const { root, settings, runs } = sandbox();
    const holder = new TaskLock(path.join(root, 'var/lib/photon/locks/demo-greet.lock'), 'demo-greet');
    await holder.acquire();
    try {
      const locked = await run(Greet, ['--root', root, '-c', settings, '--log-level', 'silent']);
      expect(locked.thrown?.output).toMatchObject({ ok: false, exitCode: 75 });
      expect(existsSync(path.join(root, 'etc/greeting'))).toBe(false);
      const unlocked = await run(Greet, ['--root', root, '-c', settings, '--no-lock']);
      expect(unlocked.returned).toMatchObject({ ok: true, exitCode: 0 });
      setTimeout(() => void holder.release(), 200);
      const waited = await run(Greet, ['--root', root, '-c', settings, '--name', 'again', '--wait', '5']);
      expect(waited.returned).toMatchObject({ ok: true, exitCode: 0 });
      expect(readFileSync(path.join(root, 'etc/greeting'), 'utf8')).toBe('moin again\n');
      expect(runs('demo-greet')).toHaveLength(2);
    } finally {
      await holder.release();
    }
  });

  it('a read-only command takes no lock, journals nothing, has no --dry-run and is named by its class (as oclif names it)', async () => {
    const { root, settings, runs } = sandbox();
    const holder = new TaskLock(path.join(root, 'var/lib/photon/locks/show.lock'), 'show');
    await holder.acquire();
    try {
      const { returned, stdout } = await run(Show, ['--root', root, '-c', settings, 'one', 'two', '--json']);
      expect(returned).toMatchObject({
        ok: true,
        task: 'show',
        dryRun: false,
        summary: 'show: one two; wrote',
      });
      expect(JSON.parse(stdout)).toEqual(returned);
      expect(runs('show')).toEqual([]);
    } finally {
      await holder.release();
    }
    for (const flag of ['--dry-run', '--no-lock', '--wait=3']) {
      const { thrown } = await run(Show, ['--root', root, flag]);
      expect(thrown?.oclif?.exit).toBe(2);
      expect(thrown?.message).toMatch(new RegExp(`^Nonexistent flag: ${flag}\\n`));
    }
  });

  it('a usage error exits 2 and names the nearest real flag', async () => {
    const { root } = sandbox();
    const cases: [string[], string][] = [
      [['--dry-rn'], 'Nonexistent flag: --dry-rn. Did you mean --dry-run?\nSee more help with --help'],
      [['--no-lok'], 'Nonexistent flag: --no-lok. Did you mean --no-lock?\nSee more help with --help'],
      [['--nmae=x'], 'Nonexistent flag: --nmae=x. Did you mean --name?\nSee more help with --help'],
      [['--zzzzzzzz'], 'Nonexistent flag: --zzzzzzzz\nSee more help with --help'],
    ];
    for (const [argv, message] of cases) {
      const { thrown, stdout } = await run(Greet, ['--root', root, ...argv]);
      expect(thrown?.oclif?.exit).toBe(2);
      expect(thrown?.message).toBe(message);
      expect(stdout).toBe('');
    }
    const { thrown } = await run(Greet, ['--root', root, '--log-level', 'loud']);
    expect(thrown?.oclif?.exit).toBe(2);
    expect(thrown?.message).toMatch(
      /^Expected --log-level=loud to be one of: trace, debug, info, warn, error, silent/,
    );
  });

  it('a usage error with --json is printed as JSON with exit 2; a command without render prints nothing', async () => {
    const { root } = sandbox();
    const json = await run(Greet, ['--root', root, '--json', '--dry-rn']);
    expect(json.returned).toBeUndefined();
    expect(json.exitCode).toBe(2);
    const message = 'Nonexistent flag: --dry-rn. Did you mean --dry-run?\nSee more help with --help';
    expect(JSON.parse(json.stdout)).toEqual({
      ok: false,
      task: 'demo-greet',
      host: expect.any(String),
      dryRun: false,
      exitCode: 2,
      summary: 'demo-greet: Nonexistent flag: --dry-rn. Did you mean --dry-run?',
      changes: { files: [], services: [], commands: 0 },
      error: { code: 'USAGE', message },
    });
    // Two unknown flags: a hint for each that has one.
    const two = await run(Greet, ['--root', root, '--dry-rn', '--nmae=x']);
    expect(two.thrown?.message).toBe(
      'Nonexistent flags: --dry-rn, --nmae=x. Did you mean --dry-run, --name?\nSee more help with --help',
    );
    const quiet = await run(Show, ['--root', root, 'x']);
    expect(quiet).toMatchObject({ stdout: '', returned: { ok: true, summary: 'show: x; wrote' } });
  });
});
