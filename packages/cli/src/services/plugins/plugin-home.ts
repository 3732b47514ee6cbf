import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { type Config, ConfigError, FileStore, RootSandbox } from '@ffphoton/core';

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
 * bundled oclif, and for `photon plugins …` also for the unbundled oclif copy that
 * @oclif/plugin-plugins' commands reload their config with.
 */
export function setUpPluginsDir(
  cliRoot: string,
  BundledConfig: { prototype: PluginLoading },
  argv: string[],
  env: NodeJS.ProcessEnv,
): string {
  const dir = pluginsDir(env, process.getuid?.() === 0, env.HOME || os.homedir());
  usePluginsDir(BundledConfig, env, dir);
  if (argv[0]?.startsWith('plugins')) {
    const fromCli = createRequire(path.join(cliRoot, 'package.json'));
    const fromPluginManager = createRequire(fromCli.resolve('@oclif/plugin-plugins'));
    usePluginsDir(fromPluginManager('@oclif/core').Config, env, dir);
  }
  return dir;
}

/** The directory of the @ffphoton/core the CLI at `cliRoot` runs with (symbolic links resolved). */
export function runningCoreRoot(cliRoot: string): { root: string; version: string } {
  const pjson = createRequire(path.join(cliRoot, 'package.json')).resolve('@ffphoton/core/package.json');
  const { version } = JSON.parse(readFileSync(pjson, 'utf8')) as { version: string };
  return { root: path.dirname(realpathSync(pjson)), version };
}

/**
 * Before npm installs a plugin into the plugin directory: its package.json depends on the
 * running photon's @ffphoton/core by path, so npm links that copy (satisfying the plugins' peer
 * dependency) instead of fetching a second core from the registry. One core in the process:
 * one oclif, one tsyringe container, one settings registry.
 */
export async function shareRunningCore(dir: string, coreRoot: string): Promise<boolean> {
  const files = new FileStore(new RootSandbox());
  const file = path.join(dir, 'package.json');
  const text = await files.readTextIfExists(file);
  let pjson: { dependencies?: Record<string, string>; [key: string]: unknown };
  try {
    // The shape oclif's plugin manager writes itself when the file is missing.
    pjson = text ? JSON.parse(text) : { private: true, oclif: { schema: 1, plugins: [] } };
  } catch (error) {
    throw new ConfigError(`${file}: not valid JSON (${(error as Error).message})`);
  }
  const wanted = `file:${coreRoot}`;
  if (pjson.dependencies?.['@ffphoton/core'] === wanted) return false;
  pjson.dependencies = { ...pjson.dependencies, '@ffphoton/core': wanted };
  await files.writeAtomic(file, `${JSON.stringify(pjson, null, 2)}\n`);
  return true;
}

/** What oclif's `plugins install` parsed an argument into. */
export type PluginSource = { type: 'npm'; name: string; tag: string } | { type: 'repo'; url: string };

const GITHUB = 'https://github.com/';

/**
 * oclif reads any argument with a slash as a GitHub repository (`/tmp/x.tgz` becomes
 * https://github.com//tmp/x.tgz, and npm spends a minute failing to clone it). A packed
 * tarball or a directory that exists here is a local package: `file:<absolute path>`.
 * A path-like argument that does not exist is an error right away.
 */
export function localPluginSource(source: PluginSource, cwd: string): PluginSource {
  const typed =
    source.type === 'repo'
      ? source.url.startsWith(GITHUB)
        ? source.url.slice(GITHUB.length)
        : undefined
      : source.name;
  if (typed === undefined) return source;
  const looksLikePath = /^\.{0,2}\//.test(typed) || /\.(tgz|tar\.gz)$/.test(typed);
  if (!looksLikePath) return source;
  const file = path.resolve(cwd, typed);
  if (!existsSync(file)) throw new ConfigError(`plugins install: ${file} does not exist`);
  return { type: 'repo', url: `file:${file}` };
}
