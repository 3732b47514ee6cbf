#!/usr/bin/env node
// Schedule computation for fleets up to 100 gateways and its stability: the slots of existing
// gateways that move when one gateway joins (fleet n → n+1, n = 1..99) or leaves (one from the
// middle of the list), per spread group, against the ideal 1/n of the group's slots (the
// newcomer's share): stateless (no pins file) and with the weekday pins carried from step to
// step (`photon schedule pin` after every change). Runs the BUILT scheduler (`npm run build`
// first) and, as the reference, `node -e 0` in the same run. Prints Markdown tables.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { fmt, markdownTable, median, repoRoot } from './lib.mjs';

const built = (file) =>
  import(pathToFileURL(path.join(repoRoot, 'packages/cli/dist/services/schedule', file)).href);
const { FleetScheduler, movedSlots } = await built('fleet-scheduler.js');
const { formatSchedulePins, parseSchedulePins } = await built('schedule-pins.js');

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
/** What `photon schedule pin` writes for a schedule, read back as the next run reads it. */
const pinsOf = (schedule) =>
  parseSchedulePins(
    formatSchedulePins(
      schedule.weekdayGroups.map(({ group, days }) => ({ group, days: new Map(Object.entries(days)) })),
    ),
    'schedule.pins',
  );
const pins99 = pinsOf(new FleetScheduler(fleet(gateways(99))).schedule());
const pinned100 = timeIt(() => new FleetScheduler(fleet(gateways(100)), pins99).schedule(), 10);
console.log('## Schedule computation (9 jobs)\n');
console.log(
  markdownTable(
    ['what', 'median ms', 'p95 ms'],
    [
      ['FleetScheduler.schedule(), 30 gateways (270 slots)', fmt(at30.median, 2), fmt(at30.p95, 2)],
      ['FleetScheduler.schedule(), 100 gateways (900 slots)', fmt(at100.median, 2), fmt(at100.p95, 2)],
      [
        'the same with pins of 99 gateways (pins file parsed beforehand)',
        fmt(pinned100.median, 2),
        fmt(pinned100.p95, 2),
      ],
      ['reference: node -e 0 (process start)', fmt(nodeStart.median), fmt(nodeStart.p95)],
    ],
  ),
);

const only = (schedule, jobs) => ({ ...schedule, slots: schedule.slots.filter((s) => jobs.includes(s.job)) });
const PINNED_GROUPS = Object.keys(GROUPS).filter((g) => g.startsWith('weekday'));
const stats = (kind, groups, pinned) =>
  Object.fromEntries(
    groups.map((g) => [g, { group: g, kind, pinned, moved: 0, ideal: 0, worst: 0, over: 0, steps: 0 }]),
  );
const joins = stats('join', Object.keys(GROUPS), false);
const leaves = stats('leave', Object.keys(GROUPS), false);
const pinnedJoins = stats('join', PINNED_GROUPS, true);
const pinnedLeaves = stats('leave', PINNED_GROUPS, true);
const schedules = [undefined];
for (let n = 1; n <= MAX; n += 1) schedules.push(new FleetScheduler(fleet(gateways(n))).schedule());
// Pinned: every schedule starts from the pins of the one before (n hosts → n + 1), and a leave
// from the pins of the n + 1 hosts.
const pinnedSchedules = [undefined, schedules[1]];
for (let n = 1; n < MAX; n += 1)
  pinnedSchedules.push(new FleetScheduler(fleet(gateways(n + 1)), pinsOf(pinnedSchedules[n])).schedule());
const record = (row, before, after, jobs, n) => {
  const { moved, compared } = movedSlots(only(before, jobs), only(after, jobs));
  const ideal = compared / n;
  row.moved += moved;
  row.ideal += ideal;
  row.steps += 1;
  row.worst = Math.max(row.worst, moved);
  if (moved > 2 * ideal) row.over += 1;
};
for (let n = 1; n < MAX; n += 1) {
  const names = gateways(n + 1);
  const left = names.filter((_, i) => i !== Math.floor(n / 2));
  const without = new FleetScheduler(fleet(left)).schedule();
  const pinnedWithout = new FleetScheduler(fleet(left), pinsOf(pinnedSchedules[n + 1])).schedule();
  for (const [group, jobs] of Object.entries(GROUPS)) {
    if (pinnedJoins[group]) {
      record(pinnedJoins[group], pinnedSchedules[n], pinnedSchedules[n + 1], jobs, n);
      record(pinnedLeaves[group], pinnedSchedules[n + 1], pinnedWithout, jobs, n);
    }
    for (const [table, before, after] of [
      [joins, schedules[n], schedules[n + 1]],
      [leaves, without, schedules[n + 1]],
    ])
      record(table[group], before, after, jobs, n);
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
    [
      ...Object.values(joins),
      ...Object.values(leaves),
      ...Object.values(pinnedJoins),
      ...Object.values(pinnedLeaves),
    ].map((row) => [
      row.pinned ? `${row.group}, pinned` : row.group,
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
