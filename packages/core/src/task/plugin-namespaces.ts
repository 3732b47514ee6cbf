import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Config } from '@oclif/core';
import type { SettingsNamespace } from '../settings/namespace.js';
import { coreNamespaces } from './core-services.js';

/**
 * Plugins declare their settings namespaces in package.json, so the names are known
 * without importing any plugin code:  "photon": { "settings": { "fastd": "./dist/settings.js" } }
 */
interface PhotonPjson {
  photon?: { settings?: Record<string, string> };
}

function declared(config: Pick<Config, 'getPluginsList'>): { name: string; root: string; module: string }[] {
  const out: { name: string; root: string; module: string }[] = [];
  for (const plugin of config.getPluginsList()) {
    const settings = (plugin.pjson as PhotonPjson).photon?.settings ?? {};
    for (const [name, module] of Object.entries(settings)) out.push({ name, root: plugin.root, module });
  }
  return out;
}

/** Names of every namespace declared by an installed plugin (core's included). */
export function discoverNamespaces(config: Pick<Config, 'getPluginsList'>): string[] {
  return [...new Set([...coreNamespaces.map((ns) => ns.name), ...declared(config).map((d) => d.name)])];
}

/** Imports every declared namespace (for `config show` and `config validate`). */
export async function loadAllNamespaces(
  config: Pick<Config, 'getPluginsList'>,
): Promise<SettingsNamespace[]> {
  const found = new Map<string, SettingsNamespace>(coreNamespaces.map((ns) => [ns.name, ns]));
  const pending = declared(config).filter(({ name }) => !found.has(name));
  // Imported together: the module loader reads and links the files concurrently.
  const modules = await Promise.all(
    pending.map(
      async ({ root, module }) =>
        (await import(pathToFileURL(path.join(root, module)).href)) as Record<string, unknown>,
    ),
  );
  pending.forEach(({ name }, index) => {
    if (found.has(name)) return;
    const ns = Object.values(modules[index] ?? {}).find(
      (value): value is SettingsNamespace =>
        typeof value === 'object' &&
        value !== null &&
        (value as SettingsNamespace).name === name &&
        'schema' in value,
    );
    if (ns) found.set(name, ns);
  });
  return [...found.values()];
}
