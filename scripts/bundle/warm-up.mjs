// Warms the code caches with representative runs of the built binary; each run adds what it
// compiled to the cache it loaded: start-up and settings (config show on the example: every
// namespace, Photon's tags, anchors), then a task that runs a program (logger, lock, shell,
// journal). A bundle that cannot run them must not pass for built.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export function warmUp(repo) {
  const sandbox = mkdtempSync(path.join(os.tmpdir(), 'photon-bundle-'));
  try {
    for (const args of [
      ['config', 'show', '--config', path.join(repo, 'examples/community')],
      ['exec', '--name', 'warm-up', '--', 'true'],
    ]) {
      const run = spawnSync(
        process.execPath,
        [path.join(repo, 'packages/cli/bin/run.js'), ...args, '--root', sandbox],
        {
          env: { ...process.env, PHOTON_REBUILD_CODE_CACHE: '1', PHOTON_DATA_DIR: '/var/lib/photon' },
          encoding: 'utf8',
        },
      );
      if (run.status !== 0)
        throw new Error(`warm-up \`photon ${args.join(' ')}\` exited ${run.status}: ${run.stderr}`);
    }
    // The package bundles the runs above do not load, so a gateway's first runs are cached too:
    // the settings-only bundles (without oclif manifests oclif loads every command's whole
    // bundle), whose settings modules are run, and the whole bundles, whose commands need their
    // daemons, compiled.
    const packages = readdirSync(path.join(repo, 'packages'))
      .map((dir) => path.join(repo, 'packages', dir))
      .filter((root) => existsSync(path.join(root, 'dist/bundle/modules.json')));
    const settingsModules = packages.flatMap((root) =>
      (
        JSON.parse(readFileSync(path.join(root, 'dist/bundle/modules.json'), 'utf8')).settings?.entries ?? []
      ).map((entry) => pathToFileURL(path.join(root, entry)).href),
    );
    const bundles = packages.map((root) => path.join(root, 'dist/bundle/modules.cjs'));
    const bundleDir = path.join(repo, 'packages/core/dist/bundle');
    const script = `
const loader = require(${JSON.stringify(path.join(bundleDir, 'loader.cjs'))});
const { loadBundle } = require(${JSON.stringify(path.join(bundleDir, 'code-cache.cjs'))});
loader.loadCore();
(async () => {
  for (const url of ${JSON.stringify(settingsModules)}) await loader.importFirstParty(url);
  for (const file of ${JSON.stringify(bundles)}) loadBundle(file);
})().catch((error) => { console.error(error); process.exitCode = 1; });
`;
    const compile = spawnSync(process.execPath, ['-e', script], {
      env: { ...process.env, PHOTON_REBUILD_CODE_CACHE: '1' },
      encoding: 'utf8',
    });
    if (compile.status !== 0) throw new Error(`warm-up of the packages' bundles failed: ${compile.stderr}`);
  } finally {
    rmSync(sandbox, { recursive: true, force: true });
  }
}
