import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { coreNamespaces } from './core-services.js';
import { discoverNamespaces, loadAllNamespaces } from './plugin-namespaces.js';

/** A plugin directory with its package.json and settings modules, as oclif lists it. */
function plugin(settings: Record<string, string> | undefined, modules: Record<string, string>) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'photon-namespaces-'));
  for (const [file, text] of Object.entries(modules)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return { root, pjson: settings === undefined ? {} : { photon: { settings } } };
}

const config = (...plugins: ReturnType<typeof plugin>[]) => ({
  getPluginsList: () => plugins as never,
});

describe('plugin settings namespaces', () => {
  const fastd = plugin(
    { fastd: './dist/settings.js', limit: './dist/settings.js' },
    {
      'dist/settings.js': [
        // Exports of every kind before the namespaces: none is taken for one, none breaks the search.
        'export const nothing = null;',
        "export const version = '1.0';",
        "export const helper = { name: 'fastd' };", // no schema: not a namespace
        "export const other = { name: 'other', schema: {} };",
        "export const fastdSettings = { name: 'fastd', schema: { fastd: true } };",
        "export const limitSettings = { name: 'limit', schema: { limit: true } };",
      ].join('\n'),
    },
  );
  const web = plugin(
    { web: './settings.js', photon: './settings.js' },
    {
      'settings.js':
        "export default { name: 'web', schema: { web: true } };\nexport const photon = { name: 'photon', schema: {} };",
    },
  );
  const shadow = plugin(
    { fastd: './shadow.js' },
    { 'shadow.js': "export const fastd = { name: 'fastd', schema: { shadow: true } };" },
  );
  const broken = plugin(
    { alfred: './alfred.js' },
    { 'alfred.js': "export const alfred = { name: 'alfredo', schema: {} };" },
  );

  it('names every declared namespace, core first, each once, without importing a plugin', () => {
    const missing = plugin({ ghost: './not-there.js' }, {});
    expect(discoverNamespaces(config(plugin(undefined, {}), fastd, web, shadow, missing))).toEqual([
      'photon',
      'git',
      'mail',
      'fastd',
      'limit',
      'web',
      'ghost',
    ]);
  });

  it('imports the declared modules and finds each namespace by name; core and the first plugin win', async () => {
    // A plugin that declares a core namespace is not even imported for it (its module may be gone).
    const coreName = plugin({ mail: './gone.js' }, {});
    const found = await loadAllNamespaces(
      config(plugin(undefined, {}), fastd, web, shadow, broken, coreName),
    );
    expect(found.slice(0, 3)).toEqual(coreNamespaces);
    expect(found.slice(3)).toEqual([
      { name: 'fastd', schema: { fastd: true } },
      { name: 'limit', schema: { limit: true } },
      { name: 'web', schema: { web: true } },
    ]);
  });
});
