#!/usr/bin/env node
// Schedule computation for fleets up to 100 gateways and its stability: the slots of existing
// gateways that move when one gateway joins (fleet n → n+1, n = 1..99) or leaves (one from the
// middle of the list), per spread group, against the ideal 1/n of the group's slots (the
// newcomer's share). Runs the BUILT scheduler (`npm run build` first) and, as the reference,
// `node -e 0` in the same run. Prints Markdown tables.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { fmt, markdownTable, median, repoRoot } from './lib.mjs';

const { FleetScheduler, movedSlots } = await import(
  pathToFileURL(path.join(repoRoot, 'packages/cli/dist/services/schedule/fleet-scheduler.js')).href
);

const job = (over) => ({ hosts: 'gw', command: ['photon', over.name], spread: 'none', ...over });
// The example fleet's job mix (examples/community/fleet.yaml): two git pushers spread by
// minute, the ICVPN weekday group of four, selfupgrade by weekday, plain jobs.
const JOBS = [
  job({ name: 'alfred-announce', cadence: 'every 1m' }),
  job({ name: 'fastd-limit', cadence: 'every 5m' }),
  job({ name: 'fastd-sync', cadence: 'every 15m', spread: 'minute' }),
  job({ name: 'snapshot-configs', cadence: '23 5,23 * * *', spread: 'minute', hosts: 'all' }),
  job({ name: 'icvpn-tinc', cadence: '0 3 * * U', spread: 'weekday', group: 'icvpn' }),
  job({ name: 'icvpn-bgp', cadence: 'daily', at: '04:00', spread: 'weekday', group: 'icvpn' }),
  job({ name: 'icvpn-roa', cadence: 'daily', at: '04:10', spread: 'weekday', group: 'icvpn' }),
  job({ name: 'icvpn-dns', cadence: 'daily', at: '05:00', spread: 'weekday', group: 'icvpn' }),
  job({ name: 'selfupgrade', cadence: '42 19 * * U', spread: 'weekday', hosts: 'all' }),
];
const GROUPS = {
  'minute (fastd-sync, snapshot)': ['fastd-sync', 'snapshot-configs'],
  'weekday icvpn (4 jobs)': ['icvpn-tinc', 'icvpn-bgp', 'icvpn-roa', 'icvpn-dns'],
  'weekday selfupgrade': ['selfupgrade'],
};
const MAX = 100;
const fleet = (names) => ({ hosts: names.map((name) => ({ name, roles: ['gw'] })), jobs: JOBS });
const gateways = (n) => Array.from({ length: n }, (_, i) => `gw${String(i + 1).padStart(3, '0')}`);

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
const at30 = timeIt(() => new FleetScheduler(fleet(gateways(30))).schedule(), 50);
const at100 = timeIt(() => new FleetScheduler(fleet(gateways(100))).schedule(), 10);
console.log('## Schedule computation (9 jobs)\n');
console.log(
  markdownTable(
    ['what', 'median ms', 'p95 ms'],
    [
      ['FleetScheduler.schedule(), 30 gateways (270 slots)', fmt(at30.median, 2), fmt(at30.p95, 2)],
      ['FleetScheduler.schedule(), 100 gateways (900 slots)', fmt(at100.median, 2), fmt(at100.p95, 2)],
      ['reference: node -e 0 (process start)', fmt(nodeStart.median), fmt(nodeStart.p95)],
    ],
  ),
);

const only = (schedule, jobs) => ({ ...schedule, slots: schedule.slots.filter((s) => jobs.includes(s.job)) });
const stats = (kind) =>
  Object.fromEntries(
    Object.keys(GROUPS).map((g) => [g, { kind, moved: 0, ideal: 0, worst: 0, over: 0, steps: 0 }]),
  );
const joins = stats('join');
const leaves = stats('leave');
const schedules = [undefined];
for (let n = 1; n <= MAX; n += 1) schedules.push(new FleetScheduler(fleet(gateways(n))).schedule());
for (let n = 1; n < MAX; n += 1) {
  const names = gateways(n + 1);
  const without = new FleetScheduler(fleet(names.filter((_, i) => i !== Math.floor(n / 2)))).schedule();
  for (const [group, jobs] of Object.entries(GROUPS)) {
    for (const [table, before, after] of [
      [joins, schedules[n], schedules[n + 1]],
      [leaves, without, schedules[n + 1]],
    ]) {
      const { moved, compared } = movedSlots(only(before, jobs), only(after, jobs));
      const ideal = compared / n;
      const row = table[group];
      row.moved += moved;
      row.ideal += ideal;
      row.steps += 1;
      row.worst = Math.max(row.worst, moved);
      if (moved > 2 * ideal) row.over += 1;
    }
  }
}
const minuteLoad = schedules[MAX].load;
console.log(`\n## Stability over fleets of 1 to ${MAX} gateways (existing slots that move)\n`);
console.log(
  "Ideal per step: 1/n of the group's slots (the share of the gateway that joins or leaves). " +
    'The bound of issue 17: at most 2 × the ideal.\n',
);
console.log(
  markdownTable(
    [
      'group',
      'change',
      'moved (sum of 99 steps)',
      'ideal (sum)',
      'moved / ideal',
      'worst step',
      'steps over 2 × ideal',
    ],
    [...Object.values(joins), ...Object.values(leaves)].map((row, i) => [
      Object.keys(GROUPS)[i % 3],
      row.kind === 'join' ? 'add one gateway' : 'remove one (middle)',
      row.moved,
      fmt(row.ideal),
      fmt(row.moved / row.ideal, 2),
      row.worst,
      `${row.over} of ${row.steps}`,
    ]),
  ),
);
console.log(
  `\nAt ${MAX} gateways: up to ${minuteLoad.maxPerMinute} minute-spread starts share a minute (seconds apart); ` +
    `busiest minute of the hour ${Math.max(...minuteLoad.minutes)} starts; ICVPN hosts per weekday ${minuteLoad.weekdays.find((w) => w.group === 'icvpn').hosts.join('/')}.`,
);
