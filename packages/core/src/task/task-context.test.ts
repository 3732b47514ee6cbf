import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/errors.js';
import { FileStore } from '../fs/file-store.js';
import { GitService } from '../git/git-service.js';
import { IncidentLog } from '../journal/incidents.js';
import { Mailer } from '../mail/mailer.js';
import { Shell } from '../shell/shell.js';
import type { TaskContext } from './task-context.js';
import { TaskRunner, type TaskRunOptions } from './task-runner.js';
import { LOGGER } from './tokens.js';

function options(overrides: Partial<TaskRunOptions> = {}): TaskRunOptions {
  return {
    task: 'context-task',
    argv: [],
    configFiles: [],
    root: mkdtempSync(path.join(os.tmpdir(), 'photon-context-')),
    dryRun: false,
    lock: false,
    waitSeconds: 0,
    namespaces: [],
    knownNamespaces: [],
    defaultDataDir: '/var/lib/photon',
    env: { HOME: '/root' },
    hostname: 'kaschu',
    logLevel: 'error',
    logStream: new PassThrough(), // the provoked ConfigError's log line stays out of the test output
    journal: false,
    ...overrides,
  };
}

async function run<R>(body: (ctx: TaskContext) => Promise<R>, overrides: Partial<TaskRunOptions> = {}) {
  const { output, error } = await new TaskRunner().run(options(overrides), body, () => 'done');
  if (error) throw error;
  return output.result as R;
}

// A plugin's own service, built by the run's container from the run's services.
class PeerCounter {
  constructor(
    readonly shell: Shell,
    readonly files: FileStore,
    readonly git: GitService,
    readonly logger: unknown,
  ) {}
}

describe('TaskContext: the one way to a service', () => {
  it('gives the same instances as the run container, git made once per run', async () => {
    const same = await run(async (ctx) => {
      ctx.container.register(PeerCounter, {
        useFactory: (c) =>
          new PeerCounter(c.resolve(Shell), c.resolve(FileStore), c.resolve(GitService), c.resolve(LOGGER)),
      });
      const counter = ctx.container.resolve(PeerCounter);
      const [firstGit, secondGit] = [ctx.git, ctx.git]; // a getter: two reads, one instance
      return {
        shell: counter.shell === ctx.shell,
        files: counter.files === ctx.files,
        git: counter.git === firstGit && firstGit === secondGit,
        gitFromContainer: ctx.container.resolve(GitService) === ctx.git,
        logger: counter.logger === ctx.logger,
        mailer: ctx.container.resolve(Mailer) === ctx.mailer && ctx.mailer instanceof Mailer,
        incidents: ctx.container.resolve(IncidentLog) === ctx.incidents,
      };
    });
    expect(same).toEqual({
      shell: true,
      files: true,
      git: true,
      gitFromContainer: true,
      logger: true,
      mailer: true,
      incidents: true,
    });
  });

  it('runs are separate: each run has its own git and container', async () => {
    const first = await run(async (ctx) => ctx.git);
    const second = await run(async (ctx) => ctx.git);
    expect(first).toBeInstanceOf(GitService);
    expect(second).not.toBe(first);
  });

  it('validates git settings only when a task uses git', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'photon-context-'));
    const config = path.join(root, 'git.yaml');
    writeFileSync(config, 'git:\n  networkTimeoutSeconds: soon\n');
    await expect(run(async () => 'no git', { root, configFiles: [config] })).resolves.toBe('no git');
    await expect(
      run(async (ctx) => ctx.git.settings, { root, configFiles: [config] }),
    ).rejects.toBeInstanceOf(ConfigError);
  });

  it('a registration of the run option `register` replaces core’s service, in ctx too', async () => {
    const fake = { sent: [] as string[] } as unknown as Mailer;
    const seen = await run(async (ctx) => ({ ctx: ctx.mailer, container: ctx.container.resolve(Mailer) }), {
      register: (c) => c.register(Mailer, { useValue: fake }),
    });
    expect(seen.ctx).toBe(fake);
    expect(seen.container).toBe(fake);
  });
});
