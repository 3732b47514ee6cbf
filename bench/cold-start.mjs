// Issue 2 and 19: cold start of `photon --version`, `photon config show` and `photon config
// validate` on the example configuration, each against `node -e 0` in the same run, and the
// time each spends above that floor (wall, and CPU of the child: `process.cpuUsage()` at exit,
// which this shared VM's scheduling disturbs less).
// Run through `npm run bench` (it generates the oclif manifests, as `npm pack` does).
// `PHOTON_BENCH_NODE=/path/to/node` measures another Node (e.g. 22, from the `node@22` npm package);
// `BENCH_INSTALLED=1` measures a copy of the built packages laid out as npm installs them
// (scripts/installed-copy.mjs) instead of the checkout's bin.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { installBuiltCopy } from '../scripts/installed-copy.mjs';
import { compareWithFloor, cpuMedians, floorTable, fmt, markdownTable, photonBin, repoRoot } from './lib.mjs';

const node = process.env.PHOTON_BENCH_NODE ?? 'node';
const runs = Number(process.env.BENCH_RUNS ?? 21);
const root = mkdtempSync(path.join(os.tmpdir(), 'photon-bench-'));
const installed = process.env.BENCH_INSTALLED === '1';
const bin = installed ? installBuiltCopy(repoRoot, path.join(root, 'install')) : photonBin;
const config = path.join(repoRoot, 'examples/community');
const env = { PHOTON_DATA_DIR: '/var/lib/photon', HOME: '/root' };
const cases = [
  { name: '`photon --version`', args: [bin, '--version'] },
  { name: '`photon config show`', args: [bin, 'config', 'show', '--root', root, '--config', config] },
  {
    name: '`photon config validate`',
    args: [bin, 'config', 'validate', '--root', root, '--config', config],
  },
];
const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
const rows = compareWithFloor(
  cases.map((c) => ({ name: c.name, argv: [node, ...c.args], env, expectStatus: 0 })),
  { runs, floor: [node, '-e', '0'] },
);

const [floorCpu, ...cpu] = cpuMedians([['-e', '0'], ...cases.map((c) => c.args)], {
  node,
  runs,
  env: { NODE_ENV: 'production', ...env },
});

console.log(
  `### Cold start on Node ${version}${installed ? ', installed copy' : ''} (issues 2 and 19; target ≤ 2.0× \`node -e 0\`, ≤ 64 MiB)\n`,
);
console.log(floorTable(rows));
console.log('\nAbove the floor (the work photon adds; issue 19 aims at ≤ 60 ms CPU):\n');
console.log(
  markdownTable(
    ['command', 'wall above floor (ms)', 'CPU (ms)', 'CPU above floor (ms)'],
    [
      ['`node -e 0` (floor)', '0', fmt(floorCpu), '0'],
      ...cases.map((c, i) => [
        c.name,
        fmt(rows[i + 1].wallMs - rows[0].wallMs),
        fmt(cpu[i]),
        fmt(cpu[i] - floorCpu),
      ]),
    ],
  ),
);
rmSync(root, { recursive: true, force: true });
