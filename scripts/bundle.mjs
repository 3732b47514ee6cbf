#!/usr/bin/env node
// Bundles @ffphoton/core (with @oclif/core, zod, yaml, tsyringe inlined) into one ESM file
// plus lazily loaded chunks (pino, execa, simple-git, nodemailer …). Loading one file instead
// of hundreds of small modules is most of photon's cold start; see docs/performance.md.
// Plugins import oclif's API (Command, Flags, Args) from @ffphoton/core so only this copy loads.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const repo = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const core = path.join(repo, 'packages/core');

await build({
  entryPoints: [path.join(core, 'dist/index.js')],
  outdir: path.join(core, 'dist/bundle'),
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // typescript is only used by oclif's development mode, and is not installed in production.
  external: ['typescript'],
  // Bundled CommonJS dependencies still call require() for Node built-ins.
  banner: {
    js: "import { createRequire as __photonCreateRequire } from 'node:module'; const require = __photonCreateRequire(import.meta.url);",
  },
  legalComments: 'linked',
  logLevel: 'warning',
});
