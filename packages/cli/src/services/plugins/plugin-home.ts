import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ConfigError, FileStore, RootSandbox } from '@ffphoton/core';

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
