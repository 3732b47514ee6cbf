'use strict';
// Copied into dist/bundle by scripts/bundle.mjs. A first-party package (the CLI, the plugins)
// ships its commands, hooks and settings modules precompiled: dist/bundle/modules.cjs, one
// CommonJS file loaded through the code cache, instead of a dozen ES modules that Node resolves,
// reads, compiles and links on every run (Node 20 caches no ES module bytecode).
// Anything the bundle cannot vouch for is left to import(): no bundle, a dist file whose content
// changed since the bundle was built, a module it does not hold. Its settings modules are also in
// dist/bundle/settings.cjs, for runs that read settings only (`config validate`, `config show`).
const fs = require('node:fs');
const path = require('node:path');
const { fileURLToPath } = require('node:url');
const Module = require('node:module');
const { loadBundle } = require('./code-cache.cjs');
const { unchanged } = require('./fingerprint.cjs');

const FORMAT = 'photon-precompiled-modules/2';

/**
 * Returns `importPrecompiled(specifier)`: a promise of the module's exports when a precompiled
 * bundle holds it, otherwise undefined. `core` is what the bundles get for `@ffphoton/core`: the
 * running copy, so a plugin's classes and errors are the ones the runtime checks against.
 */
function createPrecompiledImporter(core) {
  const packages = new Map();
  return function importPrecompiled(specifier) {
    if (typeof specifier !== 'string' || !specifier.startsWith('file:')) return undefined;
    const file = fileURLToPath(specifier);
    const at = file.lastIndexOf(`${path.sep}dist${path.sep}`);
    if (at < 0) return undefined;
    const root = file.slice(0, at);
    let pkg = packages.get(root);
    if (pkg === undefined) {
      pkg = { manifest: readManifest(root), modules: undefined, settings: undefined };
      packages.set(root, pkg);
    }
    const entry = file
      .slice(at + 1)
      .split(path.sep)
      .join('/');
    // A settings module while nothing else of the package ran (`config validate` reads every
    // plugin's settings and runs none of its commands): the package's small settings bundle.
    // Once a command or hook loaded, the whole bundle serves everything.
    const settings = pkg.manifest?.settings;
    if (pkg.modules === undefined && Array.isArray(settings?.entries) && settings.entries.includes(entry)) {
      if (pkg.settings === undefined) pkg.settings = loadModules(root, 'settings.cjs', settings.inputs, core);
      const load = pkg.settings?.[entry];
      if (load) return load();
    }
    if (pkg.modules === undefined) pkg.modules = loadModules(root, 'modules.cjs', pkg.manifest?.inputs, core);
    const load = pkg.modules?.[entry];
    return load ? load() : undefined;
  };
}

/** The package's dist/bundle/modules.json, or null when it has none of this format. */
function readManifest(root) {
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(root, 'dist', 'bundle', 'modules.json'), 'utf8'));
    return manifest?.format === FORMAT ? manifest : null;
  } catch {
    return null;
  }
}

/**
 * `{ 'dist/…/x.js': () => Promise<exports> }` of the bundle `name` in the package's dist/bundle,
 * or null when it is missing or any of its `inputs` changed since it was built.
 */
function loadModules(root, name, inputs, core) {
  // Every input must have the content it had at build, checkout or installed alike.
  if (inputs === undefined || !unchanged(root, inputs)) return null;
  const dir = path.join(root, 'dist', 'bundle');
  const file = path.join(dir, name);
  if (!fs.existsSync(file)) return null;
  const requireFromBundle = Module.createRequire(file);
  const bundle = { exports: {} };
  loadBundle(file)(
    bundle.exports,
    (id) => (id === '@ffphoton/core' ? core : requireFromBundle(id)),
    bundle,
    file,
    dir,
  );
  return bundle.exports.modules ?? null;
}

module.exports = { createPrecompiledImporter, FORMAT };
