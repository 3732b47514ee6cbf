// Same-run comparison of built checkouts (issue 19): `photon config validate` from each DIR's
// packages/cli/bin/run.js on its examples/community, interleaved round by round with
// `node -e 0`; the median child CPU (`process.cpuUsage()` at exit, read by a preload) and wall
// time of each. How docs/performance.md measures what one change removes: copy the tree, revert
// the change in the copy, `npm run build` both (and the oclif manifests), compare.
//   node bench/compare-builds.mjs DIR [DIR …]      (BENCH_RUNS rounds, default 41)
// Not part of `npm run bench` (it needs the directories).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fmt, interleavedRuns, markdownTable, median } from './lib.mjs';

const dirs = process.argv.slice(2).map((dir) => path.resolve(dir));
if (dirs.length === 0) {
  console.error('usage: node bench/compare-builds.mjs DIR [DIR …]');
  process.exit(2);
}
const scratch = mkdtempSync(path.join(os.tmpdir(), 'photon-compare-'));
const cases = [
  { name: '`node -e 0`', argv: ['-e', '0'] },
  ...dirs.map((dir) => ({
    name: dir,
    argv: [
      path.join(dir, 'packages/cli/bin/run.js'),
      ...['config', 'validate', '-c', path.join(dir, 'examples/community'), '--root', scratch],
    ],
  })),
];
let samples;
try {
  samples = interleavedRuns(
    cases.map((c) => c.argv),
    {
      node: process.execPath,
      runs: Number(process.env.BENCH_RUNS ?? 41),
      env: { HOME: scratch, PHOTON_DATA_DIR: path.join(scratch, 'data') },
    },
  );
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
const floorCpu = median(samples[0].cpu);
console.log(
  markdownTable(
    ['copy', 'CPU (ms)', 'CPU above the floor (ms)', 'wall (ms)'],
    cases.map((c, i) => [
      c.name,
      fmt(median(samples[i].cpu)),
      fmt(median(samples[i].cpu) - floorCpu),
      fmt(median(samples[i].wall)),
    ]),
  ),
);
