import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '@ffphoton/core';
import { tempDir } from '@ffphoton/core/testing';
import { describe, expect, it } from 'vitest';
import { localPluginSource, shareRunningCore } from './plugin-home.js';
import { pluginsDir, usePluginsDir } from './plugins-dir.js';

describe('pluginsDir', () => {
  it('is the same for cron and a shell: PHOTON_DATA_DIR (the journal) does not move it', () => {
    expect(pluginsDir({ PHOTON_DATA_DIR: '/var/lib/photon' }, true, '/root')).toBe('/var/lib/photon/plugins');
    expect(pluginsDir({}, true, '/root')).toBe('/var/lib/photon/plugins');
    expect(pluginsDir({ PHOTON_DATA_DIR: '/tmp/x' }, false, '/home/ff')).toBe(
      '/home/ff/.local/share/photon/plugins',
    );
    expect(pluginsDir({ PHOTON_PLUGINS_DIR: 'rel/p' }, true, '/root')).toBe(path.resolve('rel/p'));
  });
});

describe('usePluginsDir', () => {
  class FakeConfig {
    dataDir = '/home/ff/.local/share/photon';
    loaded: string[] = [];
    async loadPluginsAndCommands() {
      this.loaded.push(this.dataDir);
    }
  }
  it('loads plugins from the plugin directory and leaves the journal its directory', async () => {
    const env: NodeJS.ProcessEnv = {};
    usePluginsDir(FakeConfig, env, '/var/lib/photon/plugins');
    const config = new FakeConfig();
    await config.loadPluginsAndCommands();
    expect(config.loaded).toEqual(['/var/lib/photon/plugins']);
    expect(env.PHOTON_DATA_DIR).toBe('/home/ff/.local/share/photon');
    // A PHOTON_DATA_DIR set by cron stays the journal's.
    const cron: NodeJS.ProcessEnv = { PHOTON_DATA_DIR: '/srv/journal' };
    class Other extends FakeConfig {}
    usePluginsDir(Other, cron, '/var/lib/photon/plugins');
    await new Other().loadPluginsAndCommands();
    expect(cron.PHOTON_DATA_DIR).toBe('/srv/journal');
  });
});

describe('shareRunningCore', () => {
  it("makes the plugin directory depend on the running core by path, keeping oclif's entries", async () => {
    const dir = tempDir('plugin-home');
    writeFileSync(
      path.join(dir, 'package.json'),
      JSON.stringify({ private: true, oclif: { schema: 1, plugins: ['x'] }, dependencies: { x: '^1.0.0' } }),
    );
    expect(
      await shareRunningCore(dir, '/usr/lib/node_modules/@ffphoton/cli/node_modules/@ffphoton/core'),
    ).toBe(true);
    const pjson = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
    expect(pjson).toEqual({
      private: true,
      oclif: { schema: 1, plugins: ['x'] },
      dependencies: {
        x: '^1.0.0',
        '@ffphoton/core': 'file:/usr/lib/node_modules/@ffphoton/cli/node_modules/@ffphoton/core',
      },
    });
    expect(
      await shareRunningCore(dir, '/usr/lib/node_modules/@ffphoton/cli/node_modules/@ffphoton/core'),
    ).toBe(false);
  });
  it("creates the directory's package.json in oclif's shape, and names a broken one", async () => {
    const dir = path.join(tempDir('plugin-home'), 'new');
    await shareRunningCore(dir, '/core');
    expect(JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'))).toEqual({
      private: true,
      oclif: { schema: 1, plugins: [] },
      dependencies: { '@ffphoton/core': 'file:/core' },
    });
    writeFileSync(path.join(dir, 'package.json'), '{');
    await expect(shareRunningCore(dir, '/core')).rejects.toThrow(ConfigError);
    await expect(shareRunningCore(dir, '/core')).rejects.toThrow(`${dir}/package.json: not valid JSON`);
  });
});

describe('localPluginSource', () => {
  const dir = tempDir('plugin-source');
  mkdirSync(path.join(dir, 'pkg'));
  writeFileSync(path.join(dir, 'p-0.1.0.tgz'), '');
  it('turns an existing tarball or directory (read by oclif as a GitHub slug) into file:', () => {
    expect(localPluginSource({ type: 'repo', url: `https://github.com/${dir}/p-0.1.0.tgz` }, '/')).toEqual({
      type: 'repo',
      url: `file:${dir}/p-0.1.0.tgz`,
    });
    expect(localPluginSource({ type: 'repo', url: 'https://github.com/./pkg' }, dir)).toEqual({
      type: 'repo',
      url: `file:${dir}/pkg`,
    });
    expect(localPluginSource({ type: 'npm', name: 'p-0.1.0.tgz', tag: 'latest' }, dir)).toEqual({
      type: 'repo',
      url: `file:${dir}/p-0.1.0.tgz`,
    });
  });
  it('fails at once for a missing path, and leaves names, slugs and URLs alone', () => {
    expect(() => localPluginSource({ type: 'repo', url: 'https://github.com//nope/x.tgz' }, dir)).toThrow(
      'plugins install: /nope/x.tgz does not exist',
    );
    for (const source of [
      { type: 'npm' as const, name: 'photon-plugin-watchdog', tag: 'latest' },
      { type: 'repo' as const, url: 'https://github.com/someuser/someplugin' },
      { type: 'repo' as const, url: 'file:/x.tgz' },
    ]) {
      expect(localPluginSource(source, dir)).toEqual(source);
    }
  });
});
