import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  CommandFailedError,
  ConfigError,
  ExitCode,
  FailedAfterChangesError,
  InterruptedError,
} from '../errors/errors.js';
import { withScratchDir } from '../fs/scratch-dir.js';
import { GitService } from '../git/git-service.js';
import { TaskLock } from '../lock/task-lock.js';
import { defineSettings } from '../settings/namespace.js';
import { z } from '../settings/zod.js';
import { Shell } from '../shell/shell.js';
import type { FailureReport } from './failure-notifier.js';
import { partial } from './partial-outcome.js';
import type { TaskContext } from './task-context.js';
import { TaskRunner, type TaskRunOptions } from './task-runner.js';
import { FAILURE_NOTIFIER, LOGGER } from './tokens.js';

const demo = defineSettings('demo', 'test', z.strictObject({ greeting: z.string().default('hello') }));

function options(overrides: Partial<TaskRunOptions> = {}) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'photon-runner-'));
  const logs = new PassThrough();
  let logText = '';
  logs.on('data', (chunk: Buffer) => {
    logText += chunk.toString();
  });
  const opts: TaskRunOptions = {
    task: 'demo-task',
    argv: ['demo'],
    configFiles: [],
    root,
    dryRun: false,
    lock: true,
    waitSeconds: 0,
    namespaces: [demo],
    knownNamespaces: ['demo'],
    defaultDataDir: '/var/lib/photon',
    env: { HOME: '/root' },
    hostname: 'kaschu',
    logStream: logs,
    logLevel: 'info',
    logFormat: 'json',
    journal: true,
    ...overrides,
  };
  return { root, opts, logs: () => logText };
}

const runs = (root: string) => readdirSync(path.join(root, 'var/lib/photon/runs/demo-task'));

/** A failure notifier that hands each report to `record` and says a mail `subject` went to the admin. */
function recordFailureReports(
  ctx: TaskContext,
  subject: string,
  record: (report: FailureReport) => void,
): void {
  ctx.container.register(FAILURE_NOTIFIER, {
    useValue: {
      notify: async (report: FailureReport) => {
        record(report);
        return { sent: true, to: ['admin@example.org'], subject };
      },
    },
  });
}

describe('TaskRunner', () => {
  it('runs the body with validated settings and writes a journal record', async () => {
    const { root, opts, logs } = options();
    const { output, error } = await new TaskRunner().run(
      opts,
      async (ctx: TaskContext) => {
        await ctx.files.writeIfChanged('/etc/demo.conf', ctx.settings.get(demo).greeting);
        return { wrote: 1 };
      },
      (r) => `demo: wrote ${r.wrote} file`,
    );
    expect(error).toBeUndefined();
    expect(output).toMatchObject({
      ok: true,
      exitCode: 0,
      summary: 'demo: wrote 1 file',
      result: { wrote: 1 },
      host: 'kaschu',
    });
    expect(readFileSync(path.join(root, 'etc/demo.conf'), 'utf8')).toBe('hello');
    const [file] = runs(root);
    const record = JSON.parse(readFileSync(path.join(root, 'var/lib/photon/runs/demo-task', file), 'utf8'));
    expect(record).toMatchObject({
      task: 'demo-task',
      outcome: 'ok',
      exitCode: 0,
      files: [{ path: '/etc/demo.conf', action: 'create' }],
    });
    expect(logs()).toContain('"msg":"demo: wrote 1 file"');
  });

  it('maps a failed command to exit 1, journals it and hands the output to the notifier', async () => {
    const { root, opts } = options();
    let reported: unknown;
    const { output, error } = await new TaskRunner().run(
      opts,
      async (ctx) => {
        recordFailureReports(ctx, 'x', (report) => {
          reported = report;
        });
        await ctx.container.resolve(Shell).run(['sh', '-c', 'echo broken >&2; exit 4']);
        return {};
      },
      () => 'never',
    );
    expect(error).toBeInstanceOf(CommandFailedError);
    expect(output).toMatchObject({ ok: false, exitCode: ExitCode.Failed, error: { code: 'COMMAND_FAILED' } });
    expect(reported).toMatchObject({
      task: 'demo-task',
      exitCode: 1,
      failedCommand: { stderr: 'broken\n', exitCode: 4 },
    });
    const record = JSON.parse(
      readFileSync(path.join(root, 'var/lib/photon/runs/demo-task', runs(root)[0]), 'utf8'),
    );
    expect(record).toMatchObject({
      outcome: 'failed',
      exitCode: 1,
      mails: [{ to: ['admin@example.org'], ok: true }],
    });
  });

  it('a body that returns partial(…) ends with exit 5: the --json envelope, the journal and the mail of a partial run, each problem logged once', async () => {
    const { root, opts, logs } = options();
    let reported: FailureReport | undefined;
    const { output, error } = await new TaskRunner().run(
      opts,
      async (ctx) => {
        recordFailureReports(ctx, 'partial', (report) => {
          reported = report;
        });
        await ctx.files.writeIfChanged('/etc/demo/a.conf', 'peer a\n');
        return partial({ written: ['a'], refused: 1 }, ['peer b: no key'], '1 of 2 peers refused');
      },
      (result) => `demo: wrote ${result.written.join(', ')}`,
    );
    // The result is the task's own type, not unknown: the partial run's result is typed end to end.
    expectTypeOf(output.result).toEqualTypeOf<{ written: string[]; refused: number } | undefined>();
    expect(error).toBeUndefined();
    const failure = { code: 'PARTIAL', message: '1 of 2 peers refused', problems: ['peer b: no key'] };
    expect(output).toEqual({
      ok: false,
      task: 'demo-task',
      host: 'kaschu',
      dryRun: false,
      exitCode: ExitCode.Partial,
      summary: 'demo-task: 1 of 2 peers refused',
      changes: {
        files: [expect.objectContaining({ path: '/etc/demo/a.conf', action: 'create' })],
        services: [],
        commands: 0,
      },
      error: failure,
      result: { written: ['a'], refused: 1 },
    });
    // The same key order as the envelope of a thrown partial failure had.
    expect(Object.keys(output)).toEqual([
      'ok',
      'task',
      'host',
      'dryRun',
      'exitCode',
      'summary',
      'changes',
      'error',
      'result',
    ]);
    const lines = logs()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((line) => [line.level, line.msg])).toEqual([
      [40, 'peer b: no key'],
      [50, 'demo-task: 1 of 2 peers refused'],
    ]);
    const record = JSON.parse(
      readFileSync(path.join(root, 'var/lib/photon/runs/demo-task', runs(root)[0]), 'utf8'),
    );
    expect(record).toMatchObject({
      outcome: 'partial',
      exitCode: 5,
      summary: 'demo-task: 1 of 2 peers refused',
      error: failure,
      mails: [{ to: ['admin@example.org'], subject: 'partial', ok: true }],
    });
    expect(reported).toMatchObject({
      exitCode: 5,
      summary: 'demo-task: 1 of 2 peers refused',
      failedCommand: undefined,
    });
    expect(reported?.recentLogLines.filter((line) => line.includes('peer b: no key'))).toHaveLength(1);
  });

  it('names each refused input of a partial run in the log, the --json error and the journal, at most 50', async () => {
    const { root, opts, logs } = options();
    const problems = Array.from({ length: 60 }, (_, i) => `peer ${i}: no key`);
    const { output } = await new TaskRunner().run(
      opts,
      async () => partial({ synced: 3 }, problems, 'demo: 60 problem(s)'),
      () => 'never',
    );
    expect(output).toMatchObject({ exitCode: ExitCode.Partial, result: { synced: 3 } });
    expect(output.error?.problems).toHaveLength(51);
    expect(output.error?.problems?.at(-1)).toBe('… and 10 more problem(s)');
    expect(logs()).toContain('"msg":"peer 0: no key"');
    expect(logs()).not.toContain('"msg":"peer 50: no key"');
    const record = JSON.parse(
      readFileSync(path.join(root, 'var/lib/photon/runs/demo-task', runs(root)[0]), 'utf8'),
    );
    expect(record.error.problems.slice(0, 2)).toEqual(['peer 0: no key', 'peer 1: no key']);
  });

  it('exits 2 on bad settings before running the body', async () => {
    const { root, opts } = options();
    const bad = path.join(root, 'bad.yaml');
    writeFileSync(bad, 'demo:\n  greeting: 42\n');
    let ran = false;
    const { output, error } = await new TaskRunner().run(
      { ...opts, configFiles: [bad] },
      async () => {
        ran = true;
      },
      () => '',
    );
    expect(ran).toBe(false);
    expect(error).toBeInstanceOf(ConfigError);
    expect(output.exitCode).toBe(2);
    expect(output.summary).toMatch(/bad\.yaml:2:13: demo\.greeting/);
  });

  it('a sandbox error after outputs were installed is exit 1 naming the changes, not exit 2 "nothing changed"', async () => {
    const { root, opts } = options();
    const { output, error } = await new TaskRunner().run(
      opts,
      async (ctx: TaskContext) => {
        await ctx.files.writeIfChanged('/etc/bird/one.conf', 'a');
        await ctx.files.writeIfChanged('/etc/bird/two.conf', 'b');
        ctx.files.resolve('/etc/../../outside.conf');
      },
      () => '',
    );
    expect(error).toBeInstanceOf(FailedAfterChangesError);
    expect(output.exitCode).toBe(ExitCode.Failed);
    expect(output.error?.code).toBe('FAILED_AFTER_CHANGES');
    expect(output.summary).toMatch(
      /found after changing 2 things: create \/etc\/bird\/one\.conf, create \/etc\/bird\/two\.conf/,
    );
    const record = JSON.parse(
      readFileSync(path.join(root, 'var/lib/photon/runs/demo-task', runs(root)[0]), 'utf8'),
    );
    expect(record).toMatchObject({ outcome: 'failed', exitCode: 1 });
    // Before any change the same error stays exit 2.
    const early = await new TaskRunner().run(
      options().opts,
      async (ctx: TaskContext) => {
        ctx.files.resolve('/etc/../../outside.conf');
      },
      () => '',
    );
    expect(early.output.exitCode).toBe(ExitCode.Config);
  });

  it('a signal ends the run: program ended, temps removed, no file replaced, lock released, journaled, 128+n', async () => {
    const { root, opts } = options();
    let scratch = '';
    let wroteAfterSignal: unknown;
    const started = Date.now();
    setTimeout(() => process.emit('SIGTERM'), 300);
    const { output, error } = await new TaskRunner().run(
      opts,
      async (ctx: TaskContext) => {
        await ctx.files.writeIfChanged('/etc/before.conf', 'a');
        await withScratchDir('demo', async (dir) => {
          scratch = dir;
          writeFileSync(path.join(dir, 'candidate.conf'), 'x');
          await ctx.shell.run(['sleep', '30'], { allowFailure: true });
        });
        wroteAfterSignal = await ctx.files.writeIfChanged('/etc/after.conf', 'b').catch((e: unknown) => e);
      },
      () => '',
    );
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(error).toBeInstanceOf(InterruptedError);
    expect(output.exitCode).toBe(143);
    expect(existsSync(scratch)).toBe(false);
    expect(process.listenerCount('SIGTERM')).toBe(0);
    const record = JSON.parse(
      readFileSync(path.join(root, 'var/lib/photon/runs/demo-task', runs(root)[0]), 'utf8'),
    );
    expect(record).toMatchObject({
      outcome: 'interrupted',
      exitCode: 143,
      summary: 'demo-task: interrupted by SIGTERM',
    });
    expect(record.commands[0]).toMatchObject({ argv: ['sleep', '30'] });
    const lock = new TaskLock(path.join(root, 'var/lib/photon/locks/demo-task.lock'), 'demo-task');
    await lock.acquire();
    await lock.release();
    // The body goes on after the signal, but replaces no file.
    await new Promise((r) => setTimeout(r, 100));
    expect(wroteAfterSignal).toBeInstanceOf(InterruptedError);
    expect(existsSync(path.join(root, 'etc/after.conf'))).toBe(false);
  });

  it('a signal removes the temps of work that never ends (SIGINT → 130)', async () => {
    const { opts } = options();
    let scratch = '';
    setTimeout(() => process.emit('SIGINT'), 200);
    const { output } = await new TaskRunner().run(
      opts,
      (_ctx: TaskContext) =>
        withScratchDir('demo', async (dir) => {
          scratch = dir;
          await new Promise(() => {});
        }),
      () => '',
    );
    expect(output.exitCode).toBe(130);
    expect(scratch).not.toBe('');
    expect(existsSync(scratch)).toBe(false);
  });

  it('a mistake in git settings fails the tasks that use git, not the others', async () => {
    const { root, opts } = options();
    const config = path.join(root, 'git.yaml');
    writeFileSync(config, 'git:\n  networkTimeoutSeconds: soon\n');
    const other = await new TaskRunner().run(
      { ...opts, configFiles: [config] },
      async () => 'ran',
      (r) => r,
    );
    expect(other.output).toMatchObject({ exitCode: 0, summary: 'ran' });

    const git = await new TaskRunner().run(
      { ...opts, configFiles: [config] },
      async (ctx) => ctx.container.resolve(GitService).identity,
      () => 'unreachable',
    );
    expect(git.error).toBeInstanceOf(ConfigError);
    expect(git.output.exitCode).toBe(2);
    expect(git.output.summary).toMatch(/git\.yaml:2:26: git\.networkTimeoutSeconds/);
  });
  it('exits 75 when another run holds the lock and leaves the journal alone', async () => {
    const { root, opts, logs } = options();
    const holder = new TaskLock(path.join(root, 'var/lib/photon/locks/demo-task.lock'), 'demo-task');
    await holder.acquire();
    let ran = false;
    const { output } = await new TaskRunner().run(
      opts,
      async () => {
        ran = true;
      },
      () => '',
    );
    await holder.release();
    expect(ran).toBe(false);
    expect(output.exitCode).toBe(75);
    expect(() => runs(root)).toThrow();
    expect(logs().trim().split('\n')).toHaveLength(1);
  });

  it('dry-run changes nothing and writes no journal', async () => {
    const { root, opts } = options({ dryRun: true });
    const { output } = await new TaskRunner().run(
      opts,
      async (ctx) => {
        await ctx.files.writeIfChanged('/etc/demo.conf', 'x');
        await ctx.services.reload('bird');
        ctx.container.resolve(LOGGER).info('body ran');
        return {};
      },
      () => 'ok',
    );
    expect(output.changes.files).toEqual([{ path: '/etc/demo.conf', action: 'create', dryRun: true }]);
    expect(output.changes.services).toEqual([{ unit: 'bird', action: 'reload', dryRun: true }]);
    expect(readdirSync(root)).toEqual([]);
  });
});
