'use strict';
// Copied into dist/bundle by scripts/bundle.mjs: loads core.cjs (core, oclif and the libraries in
// one file) with its bytecode cached, for the ESM face index.js beside it and for the photon bin
// (CommonJS, so a run needs no ESM loader at all).
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const { fileURLToPath, pathToFileURL } = require('node:url');
const { loadBundle } = require('./code-cache.cjs');
const { unchanged } = require('./fingerprint.cjs');
const { createPrecompiledImporter } = require('./precompiled-modules.cjs');

const FORMAT = 'photon-core-bundle/1';
let core;
// A first-party package's precompiled module when it has it, Node's ESM loader otherwise.
let importModule = (specifier) => import(specifier);

/**
 * core's exports from the bundle, or null when the bundle cannot vouch for them: missing, or
 * core's dist changed since it was built (`tsc -b` without the bundle step, a file edited in an
 * installed package). Then dist/index.js itself must run (index.js imports it).
 */
function loadCore() {
  if (core !== undefined) return core;
  core = null;
  // Node >= 22.1 caches what its own loaders compile (a community plugin's modules, core's dist
  // when the bundle is stale), beside the bundle or, where that is not writable, in Node's default.
  if (typeof Module.enableCompileCache === 'function') {
    const { FAILED } = Module.constants.compileCacheStatus;
    if (Module.enableCompileCache(path.join(__dirname, '.node-compile-cache')).status === FAILED)
      Module.enableCompileCache();
  }
  let manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(__dirname, 'core.json'), 'utf8'));
  } catch {
    return core;
  }
  if (manifest?.format !== FORMAT || !unchanged(path.join(__dirname, '..', '..'), manifest.inputs))
    return core;

  const file = path.join(__dirname, 'core.cjs');
  const bundle = new Module(file, module);
  bundle.filename = file;
  bundle.paths = Module._nodeModulePaths(__dirname);
  // A cached vm.Script cannot import() on Node 20, so the bundle's dynamic imports (oclif loading
  // a command or hook, core loading a settings module) call this: a first-party package's
  // precompiled modules when it has them, Node's ESM loader otherwise (a third-party oclif plugin
  // then gets this oclif for its `@oclif/core`).
  let importPrecompiled = () => undefined;
  const photonImport = (specifier) => importPrecompiled(specifier) ?? importWithBundledOclif(specifier);
  importModule = photonImport;
  loadBundle(file).call(
    bundle.exports,
    bundle.exports,
    Module.createRequire(file),
    bundle,
    file,
    __dirname,
    photonImport,
  );
  core = bundle.exports;
  importPrecompiled = createPrecompiledImporter(core);
  return core;
}

let oclifMapped = false;

/**
 * import(), with `@oclif/core` mapped to the bundled oclif first when `specifier` belongs to a
 * third-party oclif plugin (oclif-hooks.mjs). Only those runs pay for the hooks (Node 20 starts a
 * loader thread for them); first-party modules come precompiled, or import `@ffphoton/core`.
 */
function importWithBundledOclif(specifier) {
  if (!oclifMapped && importsOclifCore(specifier)) {
    oclifMapped = true;
    Module.register('./oclif-hooks.mjs', pathToFileURL(__filename));
  }
  return import(specifier);
}

/**
 * Whether the package of `specifier` (a file: URL) is a third-party one depending on @oclif/core:
 * the nearest package.json with a name (a nameless one, such as `{"type": "module"}` in a dual
 * package's lib/, only sets the module type of its directory).
 */
function importsOclifCore(specifier) {
  if (typeof specifier !== 'string' || !specifier.startsWith('file:')) return false;
  for (let dir = path.dirname(fileURLToPath(specifier)); ; dir = path.dirname(dir)) {
    let pkg;
    try {
      pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    } catch {}
    if (typeof pkg?.name === 'string')
      return (
        !pkg.name.startsWith('@ffphoton/') &&
        [pkg.dependencies, pkg.peerDependencies].some((deps) => deps?.['@oclif/core'] !== undefined)
      );
    if (path.dirname(dir) === dir) return false;
  }
}

/**
 * Imports `specifier` (a file: URL) the way the bundle does: from its package's precompiled
 * modules while they are current (the bin's own helpers, before oclif), with import() otherwise.
 */
function importFirstParty(specifier) {
  return importModule(specifier);
}

module.exports = { loadCore, importFirstParty, importsOclifCore, FORMAT };
