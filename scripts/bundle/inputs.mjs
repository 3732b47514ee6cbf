// What a bundle records about the files it was built from (checked by packages/core/loader/fingerprint.cjs).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const { fingerprint } = createRequire(import.meta.url)('../../packages/core/loader/fingerprint.cjs');

/**
 * `{ path relative to root: fingerprint }` of the metafile's inputs inside the package `root`.
 * Third-party code (under node_modules) is the bundle's own copy, not something an edit and
 * `tsc -b` change: a dependency update needs `npm run build` (scripts/ensure.mjs re-bundles on it).
 */
export function firstPartyInputs(root, metafile) {
  const inputs = {};
  for (const input of Object.keys(metafile.inputs)) {
    const file = path.resolve(input);
    const relative = path.relative(root, file);
    const outside =
      relative.startsWith('..') ||
      path.isAbsolute(relative) ||
      relative.split(path.sep).includes('node_modules');
    // esbuild's stdin entry is no file: there is nothing to check.
    if (outside || !existsSync(file)) continue;
    inputs[relative.split(path.sep).join('/')] = fingerprint(readFileSync(file));
  }
  return inputs;
}
