#!/usr/bin/env node
// The photon binary. oclif (bundled inside @ffphoton/core) loads the bundled plugins
// (@ffphoton/plugin-*) and the community plugins installed with `photon plugins install`.
// CommonJS (bin/package.json): with core's bundle and the packages' precompiled modules current,
// a run never starts Node's ESM loader (~10 ms CPU and 2 MiB of every run, docs/start-up.md).
'use strict';

const args = process.argv.slice(2);
const fs = require('node:fs');
const path = require('node:path');
const cliRoot = path.join(__dirname, '..');

if (args.length === 1 && (args[0] === '--version' || args[0] === '-v')) {
  // Monitoring and scripts ask this often; it needs no plugin, so no oclif start-up either.
  // Same text as oclif's `config.userAgent`.
  const { name, version } = JSON.parse(fs.readFileSync(path.join(cliRoot, 'package.json'), 'utf8'));
  process.stdout.write(`${name}/${version} ${process.platform}-${process.arch} node-${process.version}\n`);
} else {
  // A failure to start oclif is an unhandled rejection: printed, exit code 1.
  main();
}

async function main() {
  // photon runs compiled JavaScript only: no ts-node for linked plugins, and none of oclif's
  // "linked ESM module cannot be auto-transpiled" warnings in cron mail. (oclif's settings
  // object, read when the bundle loads.)
  globalThis.oclif = { ...globalThis.oclif, enableAutoTranspile: false };
  const loader = coreLoader();
  // Without a current bundle (tsc -b alone, an edited install): core's dist through its ESM face.
  const bundledCore = loader?.loadCore();
  const core = bundledCore ?? (await import('@ffphoton/core'));
  const load = (relative) => {
    const url = require('node:url').pathToFileURL(path.join(cliRoot, relative)).href;
    return loader ? loader.importFirstParty(url) : import(url);
  };
  // Plugins live in one directory for cron and shells alike (see `photon doctor`).
  const { setUpPluginsDir } = await load('dist/services/plugins/plugins-dir.js');
  setUpPluginsDir(cliRoot, core.Config, args, process.env, Boolean(bundledCore));
  if (args[0] === 'help' || args.includes('--help') || args.includes('-h')) {
    const { addBuiltInExamples } = await load('dist/services/help-examples.js');
    addBuiltInExamples(core.Config);
  }
  await core.execute({ dir: cliRoot });
}

/**
 * core's bundle loader (dist/bundle/loader.cjs), or undefined when core has no bundle. Looked up
 * in the node_modules directories Node would search, as a file: resolving core's package
 * `exports` would load Node's ESM resolver into every run for this one lookup (~2.5 ms CPU).
 */
function coreLoader() {
  for (let dir = cliRoot; ; dir = path.dirname(dir)) {
    const loader = path.join(dir, 'node_modules/@ffphoton/core/dist/bundle/loader.cjs');
    if (fs.existsSync(loader)) return require(loader);
    if (path.dirname(dir) === dir) return undefined;
  }
}
