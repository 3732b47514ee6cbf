#!/usr/bin/env node
// The second half of `npm run build` (after `tsc -b`): bundles @ffphoton/core with oclif and the
// libraries into one CommonJS file loaded with cached bytecode (scripts/bundle/core.mjs), and
// precompiles each first-party package's commands, hooks and settings modules the same way
// (scripts/bundle/precompile.mjs). Compiling and loading hundreds of small modules is most of a
// CLI's cold start; one file with cached bytecode is not (docs/start-up.md). Every change made to
// a bundled library's code is listed, with its reason, in scripts/bundle/patches.mjs.
// Plugins import oclif's API (Command, Flags, Args) from @ffphoton/core, and core's loader maps
// third-party oclif plugins' `@oclif/core` to the bundle's (oclif-hooks.mjs), so only this copy of
// oclif loads.
import { readdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleCore } from './bundle/core.mjs';
import { precompilePackage } from './bundle/precompile.mjs';
import { warmUp } from './bundle/warm-up.mjs';
import { writeManPages } from './man-pages.mjs';

const repo = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const finalDir = path.join(repo, 'packages/core/dist/bundle');
// Built beside the old bundle and swapped in at the end, so a running photon never sees it half-written.
const outDir = `${finalDir}.tmp-${process.pid}`;

// A build that was killed or failed left its temp dir behind (it would ship with the package):
// remove those of builds no longer running.
const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
};
for (const entry of readdirSync(path.dirname(finalDir))) {
  const pid = Number(entry.slice(`${path.basename(finalDir)}.tmp-`.length));
  if (entry.startsWith(`${path.basename(finalDir)}.tmp-`) && (pid === process.pid || !alive(pid)))
    rmSync(path.join(path.dirname(finalDir), entry), { recursive: true, force: true });
}
await bundleCore(repo, outDir);
rmSync(`${finalDir}.old`, { recursive: true, force: true });
try {
  renameSync(finalDir, `${finalDir}.old`);
} catch {}
renameSync(outDir, finalDir);
rmSync(`${finalDir}.old`, { recursive: true, force: true });

for (const dir of readdirSync(path.join(repo, 'packages')).filter((d) => d !== 'core'))
  await precompilePackage(path.join(repo, 'packages', dir));

warmUp(repo);
// Man pages come from the commands as built (scripts/man-pages.mjs).
await writeManPages(repo);
