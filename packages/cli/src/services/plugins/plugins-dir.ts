// Loaded by bin/run.js on every run, before oclif: node:path only (ESM node:fs alone costs ~3 ms);
// the rest of the plugin directory's handling is in plugin-home.ts, loaded by `plugins` commands.
import path from 'node:path';
import type { Config } from '@ffphoton/core';

/** Where `photon plugins install` puts community plugins and where every run loads them from. */
export const SYSTEM_PLUGINS_DIR = '/var/lib/photon/plugins';

/**
 * The plugin directory: $PHOTON_PLUGINS_DIR, else /var/lib/photon/plugins for root (cron and an
 * admin's `sudo photon …` alike), else ~/.local/share/photon/plugins. Never $PHOTON_DATA_DIR:
 * cron lines set that for the journal, and plugins installed from a shell must still be found.
 */
export function pluginsDir(env: NodeJS.ProcessEnv, isRoot: boolean, home: string): string {
  if (env.PHOTON_PLUGINS_DIR) return path.resolve(env.PHOTON_PLUGINS_DIR);
  return isRoot ? SYSTEM_PLUGINS_DIR : path.join(home, '.local/share/photon/plugins');
}

type PluginLoading = Pick<Config, 'dataDir' | 'loadPluginsAndCommands'>;

/**
 * Makes oclif load and install plugins in `dir`. oclif keeps plugins in its data directory,
 * which it takes from PHOTON_DATA_DIR, the journal's variable: the journal keeps that
 * directory (exported as PHOTON_DATA_DIR before oclif's is replaced), plugins get `dir`.
 */
export function usePluginsDir(
  ConfigClass: { prototype: PluginLoading },
  env: NodeJS.ProcessEnv,
  dir: string,
): void {
  const load = ConfigClass.prototype.loadPluginsAndCommands;
  ConfigClass.prototype.loadPluginsAndCommands = function (this: PluginLoading, opts) {
    if (this.dataDir !== dir) env.PHOTON_DATA_DIR ??= this.dataDir;
    this.dataDir = dir;
    return load.call(this, opts);
  };
}

/**
 * Sets the plugin directory up for this process (bin/run.js, before oclif starts): for the
 * running oclif, and, when core runs without its bundle (`oclifBundled` false), for `photon
 * plugins …` also for the oclif copy @oclif/plugin-plugins' commands reload their config with
 * (with the bundle, core's loader gives those commands the bundled oclif itself).
 */
export function setUpPluginsDir(
  cliRoot: string,
  BundledConfig: { prototype: PluginLoading },
  argv: string[],
  env: NodeJS.ProcessEnv,
  oclifBundled: boolean,
): string {
  const dir = pluginsDir(
    env,
    process.getuid?.() === 0,
    env.HOME || process.getBuiltinModule('node:os').homedir(),
  );
  usePluginsDir(BundledConfig, env, dir);
  if (!oclifBundled && argv[0]?.startsWith('plugins')) {
    const { createRequire } = process.getBuiltinModule('node:module');
    const fromCli = createRequire(path.join(cliRoot, 'package.json'));
    const fromPluginManager = createRequire(fromCli.resolve('@oclif/plugin-plugins'));
    usePluginsDir(fromPluginManager('@oclif/core').Config, env, dir);
  }
  return dir;
}
