#!/usr/bin/env node
// The photon binary. oclif (bundled inside @ffphoton/core) loads the bundled plugins
// (@ffphoton/plugin-*) and the community plugins installed with `photon plugins install`.

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-v')) {
  // Monitoring and scripts ask this often; it needs no plugin, so no oclif start-up either.
  // Same text as oclif's `config.userAgent`.
  // Not `import … from 'node:fs'`: its ESM face reads every export of fs, which loads the
  // stream machinery (~3 ms) into every run.
  const { readFileSync } = process.getBuiltinModule('node:fs');
  const { name, version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${name}/${version} ${process.platform}-${process.arch} node-${process.version}\n`);
} else {
  // photon runs compiled JavaScript only: no ts-node for linked plugins, and none of oclif's
  // "linked ESM module cannot be auto-transpiled" warnings in cron mail. (oclif's settings
  // object, read when the bundle loads.)
  globalThis.oclif = { ...globalThis.oclif, enableAutoTranspile: false };
  const { Config, execute } = await import('@ffphoton/core');
  // Plugins live in one directory for cron and shells alike (see `photon doctor`).
  const { setUpPluginsDir } = await import('../dist/services/plugins/plugins-dir.js');
  setUpPluginsDir(new URL('..', import.meta.url).pathname, Config, args, process.env);
  if (args[0] === 'help' || args.includes('--help') || args.includes('-h')) {
    const { addBuiltInExamples } = await import('../dist/services/help-examples.js');
    addBuiltInExamples(Config);
  }
  await execute({ dir: import.meta.url });
}
