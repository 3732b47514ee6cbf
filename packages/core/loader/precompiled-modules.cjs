'use strict';
// Copied into dist/bundle by scripts/bundle.mjs. A first-party package (the CLI, the plugins)
// ships its commands, hooks and settings modules precompiled: dist/bundle/modules.cjs, one
// CommonJS file loaded through the code cache, instead of a dozen ES modules that Node resolves,
// reads, compiles and links on every run (Node 20 caches no ES module bytecode).
// Anything the bundle cannot vouch for is left to import(): no bundle, a dist file whose content
// changed since the bundle was built, a module it does not hold.
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
  const registries = new Map();
  return function importPrecompiled(specifier) {
    if (typeof specifier !== 'string' || !specifier.startsWith('file:')) return undefined;
    const file = fileURLToPath(specifier);
    const at = file.lastIndexOf(`${path.sep}dist${path.sep}`);
    if (at < 0) return undefined;
    const root = file.slice(0, at);
    let modules = registries.get(root);
    if (modules === undefined) {
      modules = loadRegistry(root, core);
      registries.set(root, modules);
    }
    const load =
      modules?.[
        file
          .slice(at + 1)
          .split(path.sep)
          .join('/')
      ];
    return load ? load() : undefined;
  };
}

/** The package's `{ 'dist/…/x.js': () => Promise<exports> }`, or null when it has no usable bundle. */
function loadRegistry(root, core) {
  const dir = path.join(root, 'dist', 'bundle');
  const file = path.join(dir, 'modules.cjs');
  let manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(dir, 'modules.json'), 'utf8'));
  } catch {
    return null;
  }
  // Every input must have the content it had at build, checkout or installed alike.
  if (manifest?.format !== FORMAT || !unchanged(root, manifest.inputs)) return null;
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
