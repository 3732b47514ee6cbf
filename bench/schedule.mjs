#!/usr/bin/env node
// Schedule computation for fleets up to 30 gateways and its stability (slots moved when a
// gateway joins or leaves). Runs the BUILT scheduler (`npm run build` first) and, as the
// reference, `node -e 0` in the same run. Prints Markdown tables.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { fmt, markdownTable, median, repoRoot } from './lib.mjs';

const { FleetScheduler, movedSlots } = await import(
  pathToFileURL(path.join(repoRoot, 'packages/cli/dist/services/schedule/fleet-scheduler.js')).href
);

const job = (over) => ({ hosts: 'gw', command: ['photon', over.name], spread: 'none', ...over });
// The documentation's job mix: minute pushers, a weekday group of three, plain jobs.
const JOBS = [
  job({ name: 'alfred-announce', cadence: 'every 1m' }),
  job({ name: 'fastd-limit', cadence: 'every 5m' }),
  job({ name: 'fastd-sync', cadence: 'every 2h', spread: 'minute' }),
  job({ name: 'snapshot-configs', cadence: '23 5,23 * * *', spread: 'minute', hosts: 'all' }),
  job({ name: 'icvpn-tinc', cadence: '0 3 * * U', spread: 'weekday', group: 'icvpn' }),
  job({ name: 'icvpn-bgp', cadence: 'daily', at: '04:00', spread: 'weekday', group: 'icvpn' }),
  job({ name: 'icvpn-dns', cadence: 'daily', at: '05:00', spread: 'weekday', group: 'icvpn' }),
  job({ name: 'selfupgrade', cadence: '42 19 * * U', spread: 'weekday', hosts: 'all' }),
];
const fleet = (names) => ({ hosts: names.map((name) => ({ name, roles: ['gw'] })), jobs: JOBS });
const gateways = (n) => Array.from({ length: n }, (_, i) => `gw${String(i + 1).padStart(2, '0')}`);

function timeIt(fn, runs) {
  const samples = [];
  for (let i = 0; i < runs; i += 1) {
    const start = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return { median: median(samples), p95: samples[Math.floor(runs * 0.95)] };
}

const nodeStart = timeIt(() => spawnSync(process.execPath, ['-e', '0']), 10);
const compute = timeIt(() => new FleetScheduler(fleet(gateways(30))).schedule(), 200);
console.log('## Schedule computation (30 gateways, 8 jobs, 240 slots)\n');
console.log(
  markdownTable(
    ['what', 'median ms', 'p95 ms'],
    [
      ['FleetScheduler.schedule()', fmt(compute.median, 2), fmt(compute.p95, 2)],
      ['reference: node -e 0 (process start)', fmt(nodeStart.median), fmt(nodeStart.p95)],
    ],
  ),
);

let addMoved = 0;
let addCompared = 0;
let removeMoved = 0;
let removeCompared = 0;
let worstAdd = 0;
let worstRemove = 0;
for (let n = 1; n < 30; n += 1) {
  const before = new FleetScheduler(fleet(gateways(n))).schedule();
  const after = new FleetScheduler(fleet(gateways(n + 1))).schedule();
  const added = movedSlots(before, after);
  addMoved += added.moved;
  addCompared += added.compared;
  worstAdd = Math.max(worstAdd, added.moved);
  // Removing a gateway from the middle of the list (not the last one).
  const names = gateways(n + 1);
  const removed = movedSlots(
    after,
    new FleetScheduler(fleet(names.filter((_, i) => i !== Math.floor(n / 2)))).schedule(),
  );
  removeMoved += removed.moved;
  removeCompared += removed.compared;
  worstRemove = Math.max(worstRemove, removed.moved);
}
const at30 = movedSlots(
  new FleetScheduler(fleet(gateways(29))).schedule(),
  new FleetScheduler(fleet(gateways(30))).schedule(),
);
const percent = (moved, compared) => fmt((100 * moved) / compared);
console.log('\n## Stability over fleets of 1 to 30 gateways (existing slots that change)\n');
console.log(
  markdownTable(
    ['change', 'slots moved (sum over 29 steps)', 'slots compared', 'moved %', 'worst single step'],
    [
      ['add one gateway', addMoved, addCompared, percent(addMoved, addCompared), worstAdd],
      ['remove one gateway', removeMoved, removeCompared, percent(removeMoved, removeCompared), worstRemove],
      ['29 → 30 gateways', at30.moved, at30.compared, percent(at30.moved, at30.compared), ''],
    ],
  ),
);
