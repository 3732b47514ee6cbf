import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';

/**
 * The `yaml` package, loaded on first use. It reads settings with positions (errors, Photon's
 * tags, unusual files) and plugins' own YAML, but a run whose settings take the quick path
 * (fast-yaml.ts) never calls it: evaluating its 72 modules at load was ~2 ms CPU of every run.
 * `require`, as for pino (log/logger.ts): in core's bundle it is the bundle's own.
 */
export function yamlLibrary(): typeof Yaml {
  return typeof require === 'function' ? require('yaml') : createRequire(import.meta.url)('yaml');
}

type Lazy = 'parse' | 'parseDocument' | 'stringify';

/** `yaml`'s function `name`, loading the package when first called. */
function loadedOnCall<K extends Lazy>(name: K): (typeof Yaml)[K] {
  return ((...args: unknown[]) =>
    (yamlLibrary()[name] as (...a: unknown[]) => unknown)(...args)) as (typeof Yaml)[K];
}

// YAML for plugins' own files (key lists, account files), from the same bundled copy settings use.
export const parseYaml = loadedOnCall('parse');
export const parseYamlDocument = loadedOnCall('parseDocument');
export const stringifyYaml = loadedOnCall('stringify');
