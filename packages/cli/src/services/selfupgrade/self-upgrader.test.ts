import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  ExitCode,
  FileStore,
  GitConflictError,
  GitService,
  gitSettings,
  partial,
  RootSandbox,
  Shell,
  silentLogger,
  UsageError,
} from '@ffphoton/core';
import { completeResult, git, tempDir } from '@ffphoton/core/testing';
import { describe, expect, it } from 'vitest';
import { selfupgradeSettings } from '../../settings.js';
import { installPrefix, SelfUpgrader, type UpgradeEnvironment } from './self-upgrader.js';

const logger = silentLogger;

function setup(dryRun = false) {
  const dir = tempDir('selfupgrade');
  const calls = path.join(dir, 'calls.log');
  const prefix = path.join(dir, 'prefix');
  mkdirSync(path.join(prefix, 'lib', 'node_modules'), { recursive: true });
  // A stand-in for npm (and for `photon plugins update`) that records its arguments.
  const fake = path.join(dir, 'fake-npm');
  writeFileSync(
    fake,
    `#!/bin/sh\necho "$*" >> ${calls}\n[ "$1" = prefix ] && echo ${prefix}\n[ "$1" = config ] && echo http://127.0.0.1:4873/\nexit 0\n`,
  );
  chmodSync(fake, 0o755);
  const shell = new Shell({ dryRun, defaultTimeoutMs: 30_000 });
  const files = new FileStore(new RootSandbox(), { dryRun });
  // Default git settings, as the command gets them from the run's container.
  const gitService = new GitService(gitSettings.schema.parse({}), files, 'gw01');
  const settings = (over: Record<string, unknown> = {}) =>
    selfupgradeSettings.schema.parse({ npm: [fake], allowUnattended: true, ...over });
  const recorded = () => {
    try {
      return readFileSync(calls, 'utf8').trim().split('\n');
    } catch {
      return [];
    }
  };
  const upgrader = (environment: UpgradeEnvironment) =>
    new SelfUpgrader(shell, gitService, files, logger, environment);
  return { dir, fake, prefix, settings, recorded, upgrader };
}

/** A repository `origin` with one commit and its clone `clone`, both under `dir`. */
function originAndClone(dir: string) {
  const origin = path.join(dir, 'origin');
  mkdirSync(origin);
  git(origin, 'init', '-q', '-b', 'main');
  git(origin, 'commit', '-q', '--allow-empty', '-m', 'one');
  const clone = path.join(dir, 'clone');
  git(dir, 'clone', '-q', origin, clone);
  return { origin, clone };
}

const env = (over: Partial<UpgradeEnvironment> = {}): UpgradeEnvironment => ({
  interactive: false,
  isRoot: false,
  writable: async () => true,
  ...over,
});

describe('SelfUpgrader', () => {
  it('refuses to run without a terminal unless allowUnattended', async () => {
    const { settings, recorded, fake, upgrader } = setup();
    await expect(
      upgrader(env()).run(settings({ allowUnattended: false }), [fake, 'plugins', 'update']),
    ).rejects.toThrow(UsageError);
    expect(recorded()).toEqual([]);
    await upgrader(env({ interactive: true })).run(settings({ allowUnattended: false }), [
      fake,
      'plugins',
      'update',
    ]);
    expect(recorded()).toContain('install -g @ffphoton/cli@latest');
  });

  it('pulls the configured git working trees and skips other directories', async () => {
    const { dir, settings, fake, upgrader } = setup();
    const { origin, clone } = originAndClone(dir);
    git(origin, 'commit', '-q', '--allow-empty', '-m', 'two');
    git(origin, 'tag', 'v2');
    const result = completeResult(
      await upgrader(env()).run(settings({ repositories: [clone, dir] }), [fake, 'plugins']),
    );
    expect(result.repositories).toEqual([
      expect.objectContaining({ path: clone, status: 'pulled' }),
      { path: dir, status: 'skipped', detail: 'not a git working tree' },
    ]);
    expect(result.repositories[0].detail).toMatch(/^[0-9a-f]{40}→[0-9a-f]{40}$/);
    expect(git(clone, 'log', '-1', '--format=%s').trim()).toBe('two');
    expect(git(clone, 'tag').trim()).toBe('v2');
  });

  it('stops with a conflict (exit 4) before installing when a clone has diverged', async () => {
    const { dir, settings, recorded, fake, upgrader } = setup();
    const { origin, clone } = originAndClone(dir);
    git(origin, 'commit', '-q', '--allow-empty', '-m', 'upstream');
    git(clone, 'commit', '-q', '--allow-empty', '-m', 'local');
    const attempt = upgrader(env()).run(settings({ repositories: [clone] }), [fake, 'plugins']);
    await expect(attempt).rejects.toThrow(GitConflictError);
    await expect(attempt).rejects.toMatchObject({ exitCode: ExitCode.Conflict });
    expect(git(clone, 'log', '-1', '--format=%s').trim()).toBe('local');
    expect(recorded()).toEqual([]);
  });

  it('installs the packages with the configured tag, then updates the plugins', async () => {
    const { settings, recorded, fake, prefix, upgrader } = setup();
    const result = completeResult(
      await upgrader(env()).run(
        settings({ tag: 'next', packages: ['@ffphoton/cli', 'photon-plugin-watchdog'] }),
        [fake, 'plugins', 'update'],
      ),
    );
    expect(recorded()).toEqual([
      'prefix -g',
      'config get registry',
      'install -g @ffphoton/cli@next photon-plugin-watchdog@next',
      'plugins update',
    ]);
    expect(result).toMatchObject({ prefix, registry: 'http://127.0.0.1:4873/', permitted: true });
  });

  it("installs into the prefix the running photon was installed into, not npm's default", async () => {
    const { dir, settings, recorded, fake, upgrader } = setup();
    const own = path.join(dir, 'own-prefix');
    const result = completeResult(await upgrader(env()).run(settings(), [fake, 'plugins', 'update'], own));
    expect(recorded()).toEqual([
      'config get registry',
      `install -g --prefix ${own} @ffphoton/cli@latest`,
      'plugins update',
    ]);
    expect(result.prefix).toBe(own);
  });

  it('prints the exact sudo command and installs nothing when the prefix is not writable', async () => {
    const { settings, recorded, fake, prefix, upgrader } = setup();
    const outcome = await upgrader(env({ writable: async () => false })).run(settings(), [
      fake,
      'plugins',
      'update',
    ]);
    const commands = [`sudo ${fake} install -g @ffphoton/cli@latest`, `${fake} plugins update`];
    expect(outcome).toEqual(
      partial(
        {
          repositories: [],
          prefix,
          registry: 'http://127.0.0.1:4873/',
          permitted: false,
          commands,
          dryRun: false,
        },
        [`${prefix} is not writable`],
        `not permitted to write the npm prefix ${prefix}; run: ${commands.join(' && ')}`,
      ),
    );
    expect(recorded()).toEqual(['prefix -g', 'config get registry']);
  });

  it('changes nothing in --dry-run', async () => {
    const { dir, settings, recorded, fake, upgrader } = setup(true);
    const { clone } = originAndClone(dir);
    const result = completeResult(
      await upgrader(env({ isRoot: true })).run(settings({ repositories: [clone] }), [
        fake,
        'plugins',
        'update',
      ]),
    );
    expect(result.dryRun).toBe(true);
    expect(result.repositories).toEqual([{ path: clone, status: 'pulled', detail: 'dry-run' }]);
    expect(recorded()).toEqual(['prefix -g', 'config get registry']);
  });
});

describe('installPrefix', () => {
  it('is the npm prefix of a global install, nothing for a checkout', () => {
    expect(installPrefix('/usr/local/lib/node_modules/@ffphoton/cli')).toBe('/usr/local');
    expect(installPrefix('/opt/photon/lib/node_modules/@ffphoton/cli/')).toBe('/opt/photon');
    expect(installPrefix('/work/photon/packages/cli')).toBeUndefined();
  });
});
