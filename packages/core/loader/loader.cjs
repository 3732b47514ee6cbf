'use strict';
// Copied into dist/bundle by scripts/bundle.mjs: the CommonJS entry of @ffphoton/core. Loads
// core.cjs (core, oclif and the libraries in one file) through V8's code cache.
const path = require('node:path');
const Module = require('node:module');
const { compileCached } = require('./code-cache.cjs');
const { createPrecompiledImporter } = require('./precompiled-modules.cjs');

const file = path.join(__dirname, 'core.cjs');
const bundle = new Module(file, module);
bundle.filename = file;
bundle.paths = Module._nodeModulePaths(__dirname);
// A cached vm.Script cannot import() on Node 20, so the bundle's dynamic imports (oclif loading
// a command or hook, core loading a settings module) call this: a first-party package's
// precompiled modules when it has them, Node's ESM loader otherwise.
let importPrecompiled = () => undefined;
const photonImport = (specifier) => importPrecompiled(specifier) ?? import(specifier);
compileCached(file).call(
  bundle.exports,
  bundle.exports,
  Module.createRequire(file),
  bundle,
  file,
  __dirname,
  photonImport,
);
module.exports = bundle.exports;
importPrecompiled = createPrecompiledImporter(bundle.exports);
