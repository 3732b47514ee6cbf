import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  ConfigError,
  FileStore,
  GitService,
  gitSettings,
  type Logger,
  RootSandbox,
  Shell,
} from '@ffphoton/core';
import { describe, expect, it } from 'vitest';
import { BareRepo, git, tempDir } from '../test-helpers/git-testbed.js';
import { ConfigSnapshot } from './config-snapshot.js';

/** A gateway with files to snapshot and a configs repository; `snapshot` runs the service as the command does. */
function gateway(snapshot: Record<string, unknown> = {}) {
  const root = tempDir('git-snapshot-unit');
  const remote = new BareRepo(tempDir('git-snapshot-remote'), {
    'queue.yaml': 'locations: [/etc/queued.conf]\n',
  });
  const put = (file: string, content: string) => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), content);
  };
  put('etc/bird/bird.conf', 'router id 1;\n');
  put('etc/bird/peers/a.conf', 'peer a\n');
  put('etc/bird/.git/HEAD', 'ref\n');
  put('etc/bird/id_rsa', 'secret\n');
  put('etc/bird/leak.pem', '-----BEGIN RSA PRIVATE KEY-----\n');
  put('etc/queued.conf', 'queued\n');
  put('etc/hosts', '127.0.0.1 localhost\n');
  symlinkSync('../hosts', path.join(root, 'etc/bird/hosts-link'));
  symlinkSync('hosts', path.join(root, 'etc/link-top'));
  const settings = gitSettings.schema.parse({
    snapshot: {
      repository: { remote: remote.bare, dir: '/srv/configs' },
      paths: ['/etc/bird', '//etc/hosts', '/etc/missing.conf', '/etc/link-top'],
      commands: { hello: ['echo', 'hi'], broken: ['sh', '-c', 'exit 3'] },
      ...snapshot,
    },
  });
  const warnings: string[] = [];
  const logger = { warn: (_: unknown, message: string) => warnings.push(message) } as unknown as Logger;
  const run = (dryRun = false, cfg = settings.snapshot) => {
    const files = new FileStore(new RootSandbox(root), { dryRun });
    const shell = new Shell({ dryRun, defaultTimeoutMs: 30_000 });
    return new ConfigSnapshot(shell, files, new GitService(settings, files, 'gw1'), 'gw1', logger).run(cfg);
  };
  return { root, remote, settings, run, put, warnings };
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

describe('ConfigSnapshot', () => {
  it('mirrors files and command outputs, commits and publishes once, and removes what went away', async () => {
    const gw = gateway();
    const first = await gw.run();
    expect(first).toEqual({
      repository: '/srv/configs',
      target: '/srv/configs/gw1',
      files: 4,
      written: 4,
      removed: 0,
      denied: ['/etc/bird/id_rsa', '/etc/bird/leak.pem'],
      missing: ['/etc/missing.conf'],
      commands: [
        { name: 'hello', ok: true },
        { name: 'broken', ok: false },
      ],
      commit: gw.remote.head(),
      published: true,
    });
    expect(gw.remote.files()).toEqual([
      'gw1/etc/bird/bird.conf',
      'gw1/etc/bird/peers/a.conf',
      'gw1/etc/hosts',
      'gw1/hello',
      'queue.yaml',
    ]);
    expect(gw.remote.show('gw1/hello')).toBe('hi\n');
    expect(gw.warnings).toEqual(['snapshot: sh -c exit 3 failed; broken skipped']);

    rmSync(path.join(gw.root, 'etc/bird/peers/a.conf'));
    const second = await gw.run();
    expect(second).toMatchObject({ files: 3, written: 0, removed: 1, published: true });
    expect(gw.remote.log()).toEqual(['gw1: photon snapshot', 'gw1: photon snapshot', 'seed']);

    const idle = await gw.run();
    expect(idle).toMatchObject({ written: 0, removed: 0, commit: undefined, published: false });
    expect(gw.remote.log()).toHaveLength(3);
  });

  it('pulls others’ snapshots first and publishes a commit an earlier run could not push', async () => {
    const gw = gateway();
    await gw.run();
    const clone = path.join(gw.root, 'srv/configs');
    writeFileSync(path.join(clone, 'note'), 'x\n');
    git(clone, 'add', '-A');
    git(clone, 'commit', '--quiet', '-m', 'left behind');
    gw.remote.commit({ 'gw2/etc/hosts': 'other\n' }, 'gw2: photon snapshot');
    const result = await gw.run();
    expect(result).toMatchObject({ commit: undefined, published: true });
    expect(gw.remote.log()).toEqual(['left behind', 'gw2: photon snapshot', 'gw1: photon snapshot', 'seed']);
  });

  it('plans a clone in dry-run without touching the disk', async () => {
    const gw = gateway();
    expect(await gw.run(true)).toEqual({
      repository: '/srv/configs',
      target: '/srv/configs/gw1',
      files: 0,
      written: 0,
      removed: 0,
      denied: [],
      missing: [],
      commands: [],
      published: false,
      wouldClone: true,
    });
  });

  it('reads the queue file, and names a missing or malformed one', async () => {
    const gw = gateway({ queueFile: 'queue.yaml', paths: [], commands: {} });
    expect(await gw.run()).toMatchObject({ files: 1, written: 1 });
    expect(gw.remote.files()).toContain('gw1/etc/queued.conf');
    const missing = await failure(gw.run(false, { ...gw.settings.snapshot, queueFile: 'nope.yaml' }));
    expect(missing).toBeInstanceOf(ConfigError);
    expect((missing as Error).message).toBe('/srv/configs/nope.yaml: queue file not found');
    for (const text of ['locations: /etc/x\n', 'locations: [1]\n', '', 'other: []\n']) {
      gw.remote.commit({ 'queue.yaml': text }, 'queue');
      const bad = await failure(gw.run());
      expect((bad as Error).message, text).toBe(
        '/srv/configs/queue.yaml: locations: expected a list of paths',
      );
    }
  });

  it('refuses relative paths and needs a repository', async () => {
    const gw = gateway({ paths: ['etc/hosts'] });
    expect(((await failure(gw.run())) as Error).message).toBe(
      'git.snapshot.paths: snapshot paths must be absolute: etc/hosts',
    );
    expect(
      ((await failure(gw.run(false, { ...gw.settings.snapshot, repository: undefined }))) as Error).message,
    ).toBe('git.snapshot.repository: not configured');
  });
});
