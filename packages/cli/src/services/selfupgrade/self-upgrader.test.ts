import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FileStore, PartialFailureError, RootSandbox, Shell, silentLogger, UsageError } from '@ffphoton/core';
import { describe, expect, it } from 'vitest';
import { selfupgradeSettings } from '../../settings.js';
import { SelfUpgrader, type UpgradeEnvironment } from './self-upgrader.js';

const logger = silentLogger;

function setup(dryRun = false) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'photon-selfupgrade-'));
  const calls = path.join(dir, 'calls.log');
  const prefix = path.join(dir, 'prefix');
  mkdirSync(path.join(prefix, 'lib', 'node_modules'), { recursive: true });
  // A stand-in for npm (and for `photon plugins update`) that records its arguments.
  const fake = path.join(dir, 'fake-npm');
  writeFileSync(fake, `#!/bin/sh\necho "$*" >> ${calls}\n[ "$1" = prefix ] && echo ${prefix}\nexit 0\n`);
  chmodSync(fake, 0o755);
  const shell = new Shell({ dryRun, defaultTimeoutMs: 30_000 });
  const files = new FileStore(new RootSandbox(), { dryRun });
  const settings = (over: Record<string, unknown> = {}) =>
    selfupgradeSettings.schema.parse({ npm: [fake], allowUnattended: true, ...over });
  const recorded = () => {
    try {
      return readFileSync(calls, 'utf8').trim().split('\n');
    } catch {
      return [];
    }
  };
  return { dir, fake, prefix, shell, files, settings, recorded };
}

const env = (over: Partial<UpgradeEnvironment> = {}): UpgradeEnvironment => ({
  interactive: false,
  isRoot: false,
  writable: async () => true,
  ...over,
});

describe('SelfUpgrader', () => {
  it('refuses to run without a terminal unless allowUnattended', async () => {
    const { shell, files, settings, recorded, fake } = setup();
    const upgrader = new SelfUpgrader(shell, files, logger, env());
    await expect(
      upgrader.run(settings({ allowUnattended: false }), [fake, 'plugins', 'update']),
    ).rejects.toThrow(UsageError);
    expect(recorded()).toEqual([]);
    await new SelfUpgrader(shell, files, logger, env({ interactive: true })).run(
      settings({ allowUnattended: false }),
      [fake, 'plugins', 'update'],
    );
    expect(recorded()).toContain('install -g @ffphoton/cli@latest');
  });

  it('pulls the configured git working trees and skips other directories', async () => {
    const { dir, shell, files, settings, fake } = setup();
    const git = (cwd: string, ...args: string[]) =>
      execFileSync('git', ['-C', cwd, ...args], { encoding: 'utf8' });
    const origin = path.join(dir, 'origin');
    mkdirSync(origin);
    git(origin, 'init', '-q', '-b', 'main');
    git(
      origin,
      '-c',
      'user.name=t',
      '-c',
      'user.email=t@example.org',
      'commit',
      '-q',
      '--allow-empty',
      '-m',
      'one',
    );
    const clone = path.join(dir, 'clone');
    execFileSync('git', ['clone', '-q', origin, clone]);
    git(
      origin,
      '-c',
      'user.name=t',
      '-c',
      'user.email=t@example.org',
      'commit',
      '-q',
      '--allow-empty',
      '-m',
      'two',
    );
    git(origin, 'tag', 'v2');
    const result = await new SelfUpgrader(shell, files, logger, env()).run(
      settings({ repositories: [clone, dir] }),
      [fake, 'plugins'],
    );
    expect(result.repositories).toEqual([
      expect.objectContaining({ path: clone, status: 'pulled' }),
      { path: dir, status: 'skipped', detail: 'not a git working tree' },
    ]);
    expect(git(clone, 'log', '-1', '--format=%s').trim()).toBe('two');
    expect(git(clone, 'tag').trim()).toBe('v2');
  });

  it('installs the packages with the configured tag, then updates the plugins', async () => {
    const { shell, files, settings, recorded, fake, prefix } = setup();
    const result = await new SelfUpgrader(shell, files, logger, env()).run(
      settings({ tag: 'next', packages: ['@ffphoton/cli', 'photon-plugin-watchdog'] }),
      [fake, 'plugins', 'update'],
    );
    expect(recorded()).toEqual([
      'prefix -g',
      'install -g @ffphoton/cli@next photon-plugin-watchdog@next',
      'plugins update',
    ]);
    expect(result).toMatchObject({ prefix, permitted: true });
  });

  it('prints the exact sudo command and installs nothing when the prefix is not writable', async () => {
    const { shell, files, settings, recorded, fake } = setup();
    const attempt = new SelfUpgrader(shell, files, logger, env({ writable: async () => false })).run(
      settings(),
      [fake, 'plugins', 'update'],
    );
    await expect(attempt).rejects.toThrow(PartialFailureError);
    await expect(attempt).rejects.toThrow(
      `run: sudo ${fake} install -g @ffphoton/cli@latest && ${fake} plugins update`,
    );
    expect(recorded()).toEqual(['prefix -g']);
  });

  it('changes nothing in --dry-run', async () => {
    const { shell, files, settings, recorded, fake } = setup(true);
    const result = await new SelfUpgrader(shell, files, logger, env({ isRoot: true })).run(settings(), [
      fake,
      'plugins',
      'update',
    ]);
    expect(result.dryRun).toBe(true);
    expect(recorded()).toEqual(['prefix -g']);
  });
});
