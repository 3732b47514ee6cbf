// Warms the code caches with representative runs of the built binary; each run adds what it
// compiled to the cache it loaded: start-up and settings (config show on the example: every
// namespace, Photon's tags, anchors), then a task that runs a program (logger, lock, shell,
// journal). A bundle that cannot run them must not pass for built.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

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
    // The packages' whole bundles, which `config show` no longer loads (it reads their settings
    // bundles) and whose commands need their daemons: compiled, so a task's first run is cached.
    const bundles = readdirSync(path.join(repo, 'packages'))
      .map((dir) => path.join(repo, 'packages', dir, 'dist/bundle/modules.cjs'))
      .filter((file) => existsSync(file));
    const compile = spawnSync(
      process.execPath,
      [
        '-e',
        `const { loadBundle } = require(${JSON.stringify(path.join(repo, 'packages/core/dist/bundle/code-cache.cjs'))});\nfor (const file of ${JSON.stringify(bundles)}) loadBundle(file);`,
      ],
      { env: { ...process.env, PHOTON_REBUILD_CODE_CACHE: '1' }, encoding: 'utf8' },
    );
    if (compile.status !== 0) throw new Error(`warm-up of the packages' bundles failed: ${compile.stderr}`);
  } finally {
    rmSync(sandbox, { recursive: true, force: true });
  }
}
