#!/usr/bin/env node
// The photon binary. oclif (bundled inside @ffphoton/core) loads the bundled plugins
// (@ffphoton/plugin-*) and the community plugins installed with `photon plugins install`.
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-v')) {
  // Monitoring and scripts ask this often; it needs no plugin, so no oclif start-up either.
  // Same text as oclif's `config.userAgent`.
  const { name, version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${name}/${version} ${process.platform}-${process.arch} node-${process.version}\n`);
} else {
  const { execute } = await import('@ffphoton/core');
  await execute({ dir: import.meta.url });
}
