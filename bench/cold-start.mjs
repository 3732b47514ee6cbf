// Issue 2: cold start of `photon --version`, `photon config show` and `photon config validate`
// on the example configuration, each against `node -e 0` in the same run.
// Run through `npm run bench` (it generates the oclif manifests, as `npm pack` does).
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compareWithFloor, floorTable, photonBin, repoRoot } from './lib.mjs';

const root = mkdtempSync(path.join(os.tmpdir(), 'photon-bench-'));
const config = path.join(repoRoot, 'examples/community');
const env = { PHOTON_DATA_DIR: '/var/lib/photon', HOME: '/root' };
const rows = compareWithFloor(
  [
    { name: '`photon --version`', argv: ['node', photonBin, '--version'], env, expectStatus: 0 },
    {
      name: '`photon config show`',
      argv: ['node', photonBin, 'config', 'show', '--root', root, '--config', config],
      env,
      expectStatus: 0,
    },
    {
      name: '`photon config validate`',
      argv: ['node', photonBin, 'config', 'validate', '--root', root, '--config', config],
      env,
      expectStatus: 0,
    },
  ],
  { runs: Number(process.env.BENCH_RUNS ?? 21) },
);
console.log('### Cold start (issue 2; target ≤ 2.0× `node -e 0`, ≤ 64 MiB)\n');
console.log(floorTable(rows));
