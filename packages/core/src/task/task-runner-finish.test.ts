import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/errors.js';
import type { RunRecord } from '../journal/journal.js';
import { TaskLock } from '../lock/task-lock.js';
import { forgetSecrets, rememberSecrets } from '../log/redact.js';
import type { FailureNotifier, FailureReport } from './failure-notifier.js';
import { partial } from './partial-outcome.js';
import type { TaskContext } from './task-context.js';
import { TaskRunner, type TaskRunOptions } from './task-runner.js';
import { FAILURE_NOTIFIER } from './tokens.js';

/** A run under a fresh --root with a settings file; the log lines are parsed JSON records. */
function setup(settings = '', overrides: Partial<TaskRunOptions> = {}) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'photon-finish-'));
  const config = path.join(root, 'test.yaml');
  writeFileSync(config, settings || '{}\n');
  const lines: Record<string, unknown>[] = [];
  const options: TaskRunOptions = {
    task: 'demo-task',
    argv: ['demo'],
    configFiles: [config],
    root,
    dryRun: false,
    lock: false,
    waitSeconds: 0,
    namespaces: [],
    knownNamespaces: [],
    defaultDataDir: '/var/lib/photon',
    env: { HOME: '/root' },
    hostname: 'kaschu',
    logStream: { write: (text: string) => void lines.push(JSON.parse(text)) },
    logLevel: 'info',
    logFormat: 'json',
    journal: true,
    attended: false,
    ...overrides,
  };
  const runsDir = path.join(root, 'var/lib/photon/runs/demo-task');
  const records = (): RunRecord[] => {
    try {
      return readdirSync(runsDir).map((f) => JSON.parse(readFileSync(path.join(runsDir, f), 'utf8')));
    } catch {
      return [];
    }
  };
  const messages = () => lines.map((l) => [l.level, l.msg]);
  return { root, options, records, messages, runsDir };
}

const notifier = (notify: FailureNotifier['notify']) => (ctx: TaskContext) =>
  ctx.container.register(FAILURE_NOTIFIER, { useValue: { notify } });

describe('TaskRunner: the end of a run', () => {
  afterEach(() => forgetSecrets());

  it('writes the Prometheus textfile when a directory is set, with the changes counted', async () => {
    const { root, options } = setup('photon:\n  metrics:\n    textfileDir: /var/lib/node_exporter\n');
    const { output } = await new TaskRunner().run(
      options,
      async (ctx) => {
        await ctx.files.writeIfChanged('/etc/a', 'a');
        await ctx.files.writeIfChanged('/etc/b', 'b');
        return 2;
      },
      (n) => `wrote ${n}`,
    );
    expect(output.exitCode).toBe(0);
    const text = readFileSync(path.join(root, 'var/lib/node_exporter/photon_task_demo-task.prom'), 'utf8');
    expect(text).toContain('photon_task_exit_code{task="demo-task",host="kaschu"} 0\n');
    expect(text).toContain('photon_task_changes_total{task="demo-task",host="kaschu"} 2\n');
    // Neither a dry run nor a read-only (unjournaled) run touches it.
    for (const extra of [{ dryRun: true }, { journal: false }]) {
      const again = setup('photon:\n  metrics:\n    textfileDir: /var/lib/node_exporter\n', extra);
      await new TaskRunner().run(
        again.options,
        async () => 0,
        () => 'x',
      );
      expect(readdirSync(again.root).sort()).toEqual(['test.yaml']);
    }
  });

  it('a journal or textfile that cannot be written is a warning, not a failed run', async () => {
    const { root, options, messages, runsDir } = setup('photon:\n  metrics:\n    textfileDir: /metrics\n');
    mkdirSync(path.dirname(runsDir), { recursive: true });
    writeFileSync(runsDir, 'a file where the directory belongs');
    writeFileSync(path.join(root, 'metrics'), 'a file too');
    const { output } = await new TaskRunner().run(
      options,
      async () => 1,
      () => 'done',
    );
    expect(output).toMatchObject({ ok: true, exitCode: 0, summary: 'done' });
    expect(messages()).toEqual([
      [30, 'done'],
      [40, 'could not write the run journal'],
      [40, 'could not write the Prometheus textfile'],
    ]);
  });

  it('hands the notifier the redacted recent log lines and the failed run; a failing notifier is a warning and a failed mail', async () => {
    const { options, records, messages } = setup();
    let report: FailureReport | undefined;
    const { output } = await new TaskRunner().run(
      options,
      async (ctx) => {
        notifier(async (r) => {
          report = r;
          throw new Error('smtp down');
        })(ctx);
        ctx.logger.info('fetching https://admin:hunter22@example.org/keys');
        ctx.logger.info('peer key s3cr3t-k3y read');
        // A secret learned after it was logged (a plugin's own secrets file) is hidden in the mail too.
        rememberSecrets({ peerSecret: 's3cr3t-k3y' });
        throw new TypeError('cannot read x');
      },
      () => 'never',
    );
    expect(output).toMatchObject({
      ok: false,
      exitCode: 1,
      summary: 'demo-task: cannot read x',
      error: { code: 'FAILED', message: 'cannot read x' },
    });
    expect(report?.recentLogLines).toEqual([
      'INFO  fetching https://admin:***@example.org/keys',
      'INFO  peer key *** read',
      'ERROR demo-task: cannot read x  exitCode=1',
    ]);
    expect(report).toMatchObject({ task: 'demo-task', host: 'kaschu', exitCode: 1, attended: false });
    expect(report?.failedCommand).toBeUndefined();
    expect(messages().slice(-1)).toEqual([[40, 'could not send the failure mail: Error: smtp down']]);
    expect(records()).toEqual([
      expect.objectContaining({
        outcome: 'failed',
        error: { code: 'FAILED', message: 'cannot read x' },
        mails: [{ to: [], subject: '', ok: false, error: 'Error: smtp down' }],
      }),
    ]);
  });

  it('a notifier that sends nothing records no mail', async () => {
    const { options, records, messages } = setup();
    await new TaskRunner().run(
      options,
      async (ctx) => {
        notifier(async () => undefined as never)(ctx);
        throw 'a thrown string';
      },
      () => 'never',
    );
    expect(messages()).toEqual([[50, 'demo-task: a thrown string']]);
    expect(records()).toEqual([
      expect.objectContaining({ error: { code: 'FAILED', message: 'a thrown string' }, mails: [] }),
    ]);
  });

  it('an incident state that cannot be kept is a warning; the run is journaled all the same', async () => {
    const { root, options, records, messages } = setup();
    // The incident state's directory is taken by a file.
    mkdirSync(path.join(root, 'var/lib/photon'), { recursive: true });
    writeFileSync(path.join(root, 'var/lib/photon/incidents'), '');
    await new TaskRunner().run(
      options,
      async () => {
        throw new Error('broken');
      },
      () => 'never',
    );
    expect(messages()).toEqual([
      [50, 'demo-task: broken'],
      [40, 'could not keep the incident state'],
    ]);
    expect(records()).toEqual([expect.objectContaining({ outcome: 'failed', exitCode: 1 })]);
  });

  it('a message that names the task already is not prefixed twice; a partial run keeps its result', async () => {
    const { options, records } = setup();
    const { output } = await new TaskRunner().run(
      options,
      async () => partial({ written: 2 }, ['peer x: bad key'], 'demo-task: 1 of 3 peers refused'),
      () => 'never',
    );
    expect(output).toMatchObject({
      summary: 'demo-task: 1 of 3 peers refused',
      exitCode: 5,
      result: { written: 2 },
      error: { code: 'PARTIAL', problems: ['peer x: bad key'] },
    });
    expect(records()[0]).toMatchObject({ outcome: 'partial', summary: 'demo-task: 1 of 3 peers refused' });
  });

  it("a partial outcome whose command lists its problems itself (doctor's table) does not log them again", async () => {
    const { options, messages } = setup();
    const problems = ['bird: not found', 'named-checkconf: not found'];
    const { output } = await new TaskRunner().run(
      options,
      async () =>
        partial({ checks: 2 }, problems, '2 problem(s): bird, named-checkconf', { listedInOutput: true }),
      () => 'never',
    );
    expect(messages()).toEqual([[50, 'demo-task: 2 problem(s): bird, named-checkconf']]);
    expect(output.error).toEqual({
      code: 'PARTIAL',
      message: '2 problem(s): bird, named-checkconf',
      problems,
    });
    expect(output.result).toEqual({ checks: 2 });
  });

  it('a settings error after a service action is a failure naming it; dry-run actions do not count', async () => {
    const services = 'photon:\n  services:\n    reload: ["true", "{unit}"]\n';
    const late = new ConfigError('bad peer setting');
    const { options } = setup(services);
    const { output } = await new TaskRunner().run(
      options,
      async (ctx) => {
        await ctx.services.reload('bird');
        throw late;
      },
      () => 'never',
    );
    expect(output).toMatchObject({
      exitCode: 1,
      error: {
        code: 'FAILED_AFTER_CHANGES',
        message: 'bad peer setting (found after changing reload bird; those changes were kept)',
      },
    });
    const dry = setup(services, { dryRun: true });
    const { output: dryOutput } = await new TaskRunner().run(
      dry.options,
      async (ctx) => {
        await ctx.services.reload('bird');
        throw late;
      },
      () => 'never',
    );
    expect(dryOutput).toMatchObject({ exitCode: 2, error: { code: 'CONFIG', message: 'bad peer setting' } });
  });

  it('registers the failure mail only where some task may mail and someone receives it', async () => {
    const registered = async (mail: string) => {
      const { options } = setup(mail);
      let found: boolean | undefined;
      await new TaskRunner().run(
        options,
        async (ctx) => {
          found = ctx.container.isRegistered(FAILURE_NOTIFIER);
        },
        () => 'x',
      );
      return found;
    };
    expect([
      await registered('mail:\n  to: [noc@example.org]\n'),
      await registered('mail:\n  to: [noc@example.org]\n  on: never\n'),
      await registered(
        'mail:\n  to: [noc@example.org]\n  on: never\n  tasks: {fastd-limit: never, web-build: always}\n',
      ),
      await registered('mail:\n  to: [noc@example.org]\n  on: never\n  tasks: {fastd-limit: never}\n'),
      await registered('mail:\n  on: always\n'),
    ]).toEqual([true, false, true, false, false]);
  });

  it('a run interrupted while it waits for the lock lets go of the lock it gets afterwards, and never runs', async () => {
    const { root, options } = setup('', { lock: true, waitSeconds: 5 });
    const lockFile = path.join(root, 'var/lib/photon/locks/demo-task.lock');
    const holder = new TaskLock(lockFile, 'demo-task');
    await holder.acquire();
    setTimeout(() => process.emit('SIGTERM'), 100);
    setTimeout(() => void holder.release(), 300);
    let ran = false;
    const { output } = await new TaskRunner().run(
      options,
      async () => {
        ran = true;
      },
      () => 'x',
    );
    expect(output.exitCode).toBe(143);
    // The abandoned wait gets the lock once the holder is gone, and gives it back at once.
    await new Promise((resolve) => setTimeout(resolve, 700));
    const next = new TaskLock(lockFile, 'demo-task');
    await next.acquire();
    await next.release();
    expect(ran).toBe(false);
  });

  it('each ending logs its summary once, with its fields, bound to the task and run; the journal has the duration', async () => {
    // The whole record of each line: a tighter check than [level, msg].
    const whole = (overrides: Partial<TaskRunOptions> = {}) => {
      const run = setup('', overrides);
      const all: Record<string, unknown>[] = [];
      run.options.logStream = {
        write: (text: string) => {
          const { time: _time, ...rest } = JSON.parse(text);
          all.push(rest);
        },
      };
      return { run, all };
    };

    const done = whole();
    await new TaskRunner().run(
      done.run.options,
      async () => 3,
      (n) => `did ${n}`,
    );
    const runId = done.all[0]?.run;
    expect(typeof runId).toBe('string');
    expect(done.all).toEqual([{ level: 30, task: 'demo-task', run: runId, exitCode: 0, msg: 'did 3' }]);
    const [record] = done.run.records();
    expect(record.durationMs).toBe(Date.parse(record.end) - Date.parse(record.start));

    const part = whole();
    await new TaskRunner().run(
      part.run.options,
      async () => partial(1, ['a refused', 'b refused'], 'demo-task: 2 refused'),
      (n) => `did ${n}`,
    );
    expect(part.all.map(({ run: _run, ...rest }) => rest)).toEqual([
      { level: 40, task: 'demo-task', problem: 'a refused', msg: 'a refused' },
      { level: 40, task: 'demo-task', problem: 'b refused', msg: 'b refused' },
      { level: 50, task: 'demo-task', exitCode: 5, problems: 2, msg: 'demo-task: 2 refused' },
    ]);

    const failed = whole();
    await new TaskRunner().run(
      failed.run.options,
      async () => {
        throw new RangeError('too far');
      },
      () => 'never',
    );
    const thrown = whole();
    await new TaskRunner().run(
      thrown.run.options,
      async () => {
        throw 'a string';
      },
      () => 'never',
    );
    expect([...failed.all, ...thrown.all].map(({ run: _run, ...rest }) => rest)).toEqual([
      {
        level: 50,
        task: 'demo-task',
        exitCode: 1,
        error: { type: 'RangeError', message: 'too far' },
        msg: 'demo-task: too far',
      },
      {
        level: 50,
        task: 'demo-task',
        exitCode: 1,
        error: { message: 'a string' },
        msg: 'demo-task: a string',
      },
    ]);
  });

  it('a run that finds the lock taken logs a warning and leaves the journal to the holder', async () => {
    const locked = setup('', { lock: true, waitSeconds: 0 });
    const lines: Record<string, unknown>[] = [];
    locked.options.logStream = {
      write: (text: string) => {
        const { time: _time, run: _run, ...rest } = JSON.parse(text);
        lines.push(rest);
      },
    };
    const holder = new TaskLock(path.join(locked.root, 'var/lib/photon/locks/demo-task.lock'), 'demo-task');
    await holder.acquire();
    try {
      const { output } = await new TaskRunner().run(
        locked.options,
        async () => 1,
        () => 'x',
      );
      expect(output.exitCode).toBe(75);
      expect(lines).toEqual([{ level: 40, task: 'demo-task', exitCode: 75, msg: output.summary }]);
      expect(locked.records()).toEqual([]);
    } finally {
      await holder.release();
    }
  });
});
