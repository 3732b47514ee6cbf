import { ConfigError } from '@ffphoton/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FleetJobSettings, FleetSettings } from '../../settings.js';
import { type FleetSchedule, FleetScheduler, findCollisions, movedSlots } from './fleet-scheduler.js';
import { formatSchedulePins, parseSchedulePins, type SchedulePins } from './schedule-pins.js';

type Fleet = Pick<FleetSettings, 'hosts' | 'jobs'>;

const job = (
  over: Partial<FleetJobSettings> & Pick<FleetJobSettings, 'name' | 'cadence'>,
): FleetJobSettings => ({
  hosts: 'gw',
  command: ['photon', over.name],
  spread: 'none',
  ...over,
});

/** The documentation's jobs: ICVPN updates staggered by weekday, git pushers spread by minute. */
const JOBS: FleetJobSettings[] = [
  job({ name: 'alfred-announce', cadence: 'every 1m', hosts: 'all' }),
  job({ name: 'icvpn-tinc', cadence: '0 3 * * U', spread: 'weekday', group: 'icvpn' }),
  job({ name: 'icvpn-bird', cadence: 'daily', at: '04:00', spread: 'weekday', group: 'icvpn' }),
  job({ name: 'icvpn-dns', cadence: 'daily', at: '05:00', spread: 'weekday', group: 'icvpn' }),
  job({ name: 'snapshot-configs', cadence: '23 5,23 * * *', spread: 'minute', hosts: 'all' }),
  job({ name: 'fastd-peers', cadence: 'hourly', spread: 'minute' }),
];

/** The example community's spread jobs (examples/community/fleet.yaml), as the field check uses them. */
const EXAMPLE_JOBS: FleetJobSettings[] = [
  job({ name: 'snapshot', cadence: '23 5,23 * * *', spread: 'minute', hosts: 'all' }),
  job({ name: 'fastd-sync', cadence: 'every 15m', spread: 'minute' }),
  job({ name: 'icvpn-tinc', cadence: '0 3 * * U', spread: 'weekday', group: 'icvpn' }),
  job({ name: 'icvpn-bgp', cadence: 'daily', at: '04:00', spread: 'weekday', group: 'icvpn' }),
  job({ name: 'icvpn-dns', cadence: 'daily', at: '05:00', spread: 'weekday', group: 'icvpn' }),
  job({ name: 'selfupgrade', cadence: '42 19 * * U', spread: 'weekday', hosts: 'all' }),
];

const fleetOf = (n: number, jobs = JOBS): Fleet => ({
  hosts: Array.from({ length: n }, (_, i) => ({
    name: `gw${String(i + 1).padStart(2, '0')}`,
    roles: ['gw'],
  })),
  jobs,
});

const daysOf = (cron: string) => cron.split(' ')[4];
const expand = (field: string) =>
  (field === '*' ? '0-6' : field).split(',').flatMap((p) => {
    const [a, b] = p.split('-').map(Number);
    return b === undefined ? [a] : Array.from({ length: b - a + 1 }, (_, i) => a + i);
  });

describe('FleetScheduler', () => {
  it('is deterministic', () => {
    expect(new FleetScheduler(fleetOf(7)).schedule()).toEqual(new FleetScheduler(fleetOf(7)).schedule());
  });

  it('keeps spread none identical on every host and fills the documentation placeholder U', () => {
    const schedule = new FleetScheduler(fleetOf(4)).schedule();
    const alfred = schedule.slots.filter((s) => s.job === 'alfred-announce');
    expect(new Set(alfred.map((s) => s.cron))).toEqual(new Set(['* * * * *']));
    const tinc = schedule.slots.filter((s) => s.job === 'icvpn-tinc');
    for (const slot of tinc) expect(slot.cron).toMatch(/^0 3 \* \* [0-6,-]+$/);
    // One group: tinc, bird and dns of a gateway share its days.
    for (const slot of tinc) {
      const bird = schedule.slots.find((s) => s.job === 'icvpn-bird' && s.host === slot.host);
      expect(daysOf(bird?.cron ?? '')).toBe(daysOf(slot.cron));
    }
  });

  it('holds every invariant for fleets of 1 to 30 gateways', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.string({ minLength: 1, maxLength: 6 }), (n, salt) => {
        const jobs = JOBS.map((j) => ({
          ...j,
          name: `${j.name}-${salt.replace(/[^a-z0-9]/gi, 'x')}`,
          group: j.group && `${j.group}${salt.length}`,
        }));
        const schedule = new FleetScheduler(fleetOf(n, jobs)).schedule();
        expect(schedule.collisions).toEqual([]);
        expect(findCollisions(schedule.jobs, schedule.slots)).toEqual([]);
        // Weekday: every day covered, at most one gateway a day while n ≤ 7, each gateway at least one day.
        const tinc = schedule.slots.filter((s) => s.job === jobs[1].name);
        expect(tinc).toHaveLength(n);
        const perDay = Array.from({ length: 7 }, () => 0);
        for (const slot of tinc) {
          const days = expand(daysOf(slot.cron));
          expect(days.length).toBeGreaterThan(0);
          for (const d of days) perDay[d] += 1;
        }
        expect(Math.min(...perDay)).toBeGreaterThanOrEqual(1);
        expect(Math.max(...perDay)).toBeLessThanOrEqual(Math.max(1, Math.ceil(n / 7)));
        if (n > 7) expect(tinc.every((s) => expand(daysOf(s.cron)).length === 1)).toBe(true);
        // Minute: no two git pushers start in the same second of the same hour.
        const starts = new Set<string>();
        for (const slot of schedule.slots.filter(
          (s) => s.job.startsWith('snapshot') || s.job.startsWith('fastd'),
        )) {
          for (const h of slot.times.hour) {
            for (const m of slot.times.minute) {
              const key = `${h}:${m}:${slot.delaySeconds}`;
              expect(starts.has(key)).toBe(false);
              starts.add(key);
            }
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('moves few slots when a gateway joins or leaves', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 29 }), (n) => {
        const before = new FleetScheduler(fleetOf(n)).schedule();
        const after = new FleetScheduler(fleetOf(n + 1)).schedule();
        const { moved, compared } = movedSlots(before, after);
        expect(compared).toBe(before.slots.length);
        const changed = (name: string) =>
          before.slots.filter(
            (s) =>
              s.job === name && after.slots.find((t) => t.job === name && t.host === s.host)?.cron !== s.cron,
          ).length;
        // The newcomer takes its share of the week (7/(n+1) days, or a place on a full day) and
        // pushes at most a few others; the minute pushers move only when it takes their minute.
        expect(changed('icvpn-tinc')).toBeLessThanOrEqual(Math.ceil(7 / (n + 1)) + Math.ceil(n / 7) + 1);
        expect(changed('snapshot-configs') + changed('fastd-peers')).toBeLessThanOrEqual(5);
        expect(moved).toBeLessThan(compared / 2 + 1);
        const back = movedSlots(after, before);
        expect(back.moved).toBe(moved);
      }),
      { numRuns: 29 },
    );
  });

  it("never fails for 1 to 100 gateways with the example fleet's jobs, and reports the load", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100 }), (n) => {
        const schedule = new FleetScheduler(fleetOf(n, EXAMPLE_JOBS)).schedule();
        expect(schedule.collisions).toEqual([]);
        const icvpn = schedule.load.weekdays.find((w) => w.group === 'icvpn')?.hosts ?? [];
        expect(Math.min(...icvpn)).toBeGreaterThanOrEqual(1);
        expect(Math.max(...icvpn)).toBeLessThanOrEqual(Math.ceil(n / 7));
        // Per gateway one snapshot minute and four fastd-sync minutes (every 15m) in the hour.
        expect(schedule.load.minutes.reduce((a, b) => a + b, 0)).toBe(5 * n);
        expect(schedule.load.maxPerMinute).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 25 },
    );
  });

  it('moves at most 2 × the ideal share of slots when gateways join one by one up to 100', () => {
    // Ideal: a join moves 1/n of a group's slots (the newcomer's share). Minute pushers hold this
    // on every join; the weekday groups, whose ⌈n/7⌉ cap forces knock-ons, on average.
    const groups = {
      minute: ['snapshot', 'fastd-sync'],
      icvpn: ['icvpn-tinc', 'icvpn-bgp', 'icvpn-dns'],
      selfupgrade: ['selfupgrade'],
    };
    const total = { minute: 0, icvpn: 0, selfupgrade: 0 };
    const ideal = { minute: 0, icvpn: 0, selfupgrade: 0 };
    let before = new FleetScheduler(fleetOf(1, EXAMPLE_JOBS)).schedule();
    for (let n = 1; n < 100; n += 1) {
      const after = new FleetScheduler(fleetOf(n + 1, EXAMPLE_JOBS)).schedule();
      for (const [group, jobs] of Object.entries(groups) as [keyof typeof groups, string[]][]) {
        const only = (s: FleetSchedule) => ({ ...s, slots: s.slots.filter((x) => jobs.includes(x.job)) });
        const { moved, compared } = movedSlots(only(before), only(after));
        total[group] += moved;
        ideal[group] += compared / n;
        if (group === 'minute') expect(moved, `join ${n + 1}`).toBeLessThanOrEqual((2 * compared) / n);
      }
      before = after;
    }
    for (const group of Object.keys(groups) as (keyof typeof groups)[])
      expect(total[group], group).toBeLessThanOrEqual(2 * ideal[group]);
  });

  it.each([
    [
      { ...fleetOf(3), jobs: [job({ name: 'bad-cron', cadence: '61 * * * *' })] },
      /job "bad-cron": invalid cadence/,
    ],
    [
      { ...fleetOf(3), jobs: [job({ name: 'bad-host', cadence: 'daily', hosts: ['gw01', 'nope'] })] },
      /job "bad-host": unknown host "nope"/,
    ],
    [
      { ...fleetOf(3), jobs: [job({ name: 'bad-role', cadence: 'daily', hosts: 'web' })] },
      /job "bad-role": no host has the role "web"/,
    ],
    [
      { ...fleetOf(3), jobs: [job({ name: 'fixed', cadence: '0 3 * * 1', spread: 'weekday' })] },
      /job "fixed": cannot be spread over weekdays/,
    ],
    [
      { ...fleetOf(3), jobs: [job({ name: 'u', cadence: '0 3 * * U' })] },
      /job "u": the weekday "U" needs spread: weekday/,
    ],
    [
      { ...fleetOf(3), jobs: [job({ name: 'every-minute', cadence: '* * * * *', spread: 'minute' })] },
      /job "every-minute": cannot be spread over minutes/,
    ],
    [
      // Every 2 minutes leaves 2 distinct minutes: 121 pushers cannot all start in different seconds.
      { ...fleetOf(121), jobs: [job({ name: 'pushers', cadence: 'every 2m', spread: 'minute' })] },
      /job "pushers": no free second left/,
    ],
  ])('refuses bad settings with a ConfigError naming the job (%#)', (fleet, message) => {
    const attempt = () => new FleetScheduler(fleet).schedule();
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(message);
  });
});

describe('FleetScheduler: always-running jobs (cadence: always)', () => {
  const responder = job({ name: 'respondd', cadence: 'always', command: ['photon', 'respondd', 'serve'] });

  it('plans the job on its hosts without a time slot, and moves no other slot', () => {
    const without = new FleetScheduler(fleetOf(9)).schedule();
    const withIt = new FleetScheduler(fleetOf(9, [...JOBS, responder])).schedule();
    const planned = withIt.jobs.find((j) => j.name === 'respondd');
    expect(planned).toMatchObject({ always: true, cadence: 'always', spread: 'none' });
    expect(planned?.hosts).toHaveLength(9);
    expect(withIt.slots.some((s) => s.job === 'respondd')).toBe(false);
    expect(withIt.slots).toEqual(without.slots);
    expect(withIt.collisions).toEqual([]);
    expect(without.jobs.every((j) => !j.always)).toBe(true);
  });

  it.each([
    [{ spread: 'minute' as const }, 'spread', /cannot be spread: it always runs/],
    [{ spread: 'weekday' as const }, 'spread', /cannot be spread: it always runs/],
    [{ at: '04:00' }, 'at', /"at" needs a timed cadence/],
    [{ timeoutSeconds: 60 }, 'timeoutSeconds', /has no timeout: it always runs/],
  ])('refuses %o naming the key', (over, key, message) => {
    const bad = job({ ...responder, ...over });
    const run = () => new FleetScheduler(fleetOf(2, [bad])).schedule();
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(message);
    try {
      run();
    } catch (error) {
      expect((error as ConfigError).location.keyPath).toBe(`fleet.jobs[0].${key}`);
    }
  });
});

/** What `photon schedule pin` would write for this schedule, read back as the next run reads it. */
const pinsOf = (schedule: FleetSchedule, text?: string): SchedulePins =>
  parseSchedulePins(
    text ??
      formatSchedulePins(
        schedule.weekdayGroups.map(({ group, days }) => ({ group, days: new Map(Object.entries(days)) })),
      ),
    '/fleet/schedule.pins',
  );

describe('FleetScheduler with pins', () => {
  const WEEKDAY_GROUPS = {
    icvpn: ['icvpn-tinc', 'icvpn-bgp', 'icvpn-dns'],
    selfupgrade: ['selfupgrade'],
  };
  // The weekday jobs only: the minute spreading (unaffected by pins) would triple the time.
  const named = (names: string[]): Fleet => ({
    hosts: names.map((name) => ({ name, roles: ['gw'] })),
    jobs: EXAMPLE_JOBS.filter((j) => j.spread === 'weekday'),
  });

  it('moves at most one gateway (≤ 2 × the ideal) per join or leave for fleets of 1 to 100, pins carried', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(), { minLength: 99, maxLength: 99 }),
        fc.array(fc.nat(), { minLength: 25, maxLength: 25 }),
        (joins, leaves) => {
          let names = ['gw0'];
          let before = new FleetScheduler(named(names)).schedule();
          // Grow to 100, each newcomer at a random place in the list, then remove random hosts.
          const steps = [
            ...joins.map((pick) => ['join', pick] as const),
            ...leaves.map((p) => ['leave', p] as const),
          ];
          steps.forEach(([change, pick], i) => {
            names =
              change === 'join'
                ? names.toSpliced(pick % (names.length + 1), 0, `gw${i + 1}`)
                : names.filter((_, k) => k !== pick % names.length);
            const after = new FleetScheduler(named(names), pinsOf(before)).schedule();
            expect(after.collisions).toEqual([]);
            // A leaving host's pins are stale until the next `schedule pin`: dropped, with a warning.
            expect(after.pins?.warnings).toHaveLength(change === 'join' ? 0 : 2);
            for (const [group, jobs] of Object.entries(WEEKDAY_GROUPS)) {
              const only = (s: FleetSchedule) => ({
                ...s,
                slots: s.slots.filter((x) => jobs.includes(x.job)),
              });
              const { moved, compared } = movedSlots(only(before), only(after));
              const common = compared / jobs.length;
              // Ideal: the share of the one gateway that joins or leaves, 1/n of the compared slots.
              expect(moved, `${group}, ${change} to ${names.length}`).toBeLessThanOrEqual(
                2 * (compared / common),
              );
              expect(moved, `${group}, ${change} to ${names.length}`).toBeLessThanOrEqual(jobs.length);
              const report = after.weekdayGroups.find((g) => g.group === group)?.pins;
              expect(report?.moved.length).toBe(moved / jobs.length);
              expect(report?.added).toEqual(change === 'join' ? [`gw${i + 1}`] : []);
            }
            before = after;
          });
        },
      ),
      // One run schedules 124 fleets of up to 100 hosts and reads each one's pins file (3–5 s;
      // weekday-spread.test.ts walks the spread itself more often); shrinking would take minutes.
      { numRuns: 1, endOnFailure: true },
    );
  });

  it('keeps a schedule without pins as it was, and spreads a group missing from the pins stateless', () => {
    const stateless = new FleetScheduler(fleetOf(12, EXAMPLE_JOBS)).schedule();
    const pinned = new FleetScheduler(fleetOf(12, EXAMPLE_JOBS), pinsOf(stateless)).schedule();
    expect(pinned.slots).toEqual(stateless.slots);
    expect(stateless.pins).toBeUndefined();
    expect(pinned.pins).toEqual({ file: '/fleet/schedule.pins', warnings: [] });
    const onlyIcvpn = pinsOf(stateless, 'weekdays:\n  icvpn:\n    gw01: [2]\n');
    const partly = new FleetScheduler(fleetOf(13, EXAMPLE_JOBS), onlyIcvpn).schedule();
    const fresh = new FleetScheduler(fleetOf(13, EXAMPLE_JOBS)).schedule();
    const selfupgrade = (s: FleetSchedule) => s.slots.filter((x) => x.job === 'selfupgrade');
    expect(selfupgrade(partly)).toEqual(selfupgrade(fresh));
    expect(partly.weekdayGroups.find((g) => g.group === 'selfupgrade')?.pins).toBeUndefined();
    expect(partly.weekdayGroups.find((g) => g.group === 'icvpn')).toMatchObject({
      days: { gw01: [2] },
      pins: { moved: [], added: expect.arrayContaining(['gw02', 'gw13']) },
    });
  });

  it('drops only the garbage entries of a pins file, each with a warning; every valid pin holds', () => {
    const garbage = fc.oneof(
      fc.constant('[7]'),
      fc.constant('[-1, 8]'),
      fc.constant('Mon'),
      fc.constant('[]'),
      fc.constant('{ day: 1 }'),
      fc.constant('[1.5]'),
      fc.constant('null'),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.array(fc.tuple(fc.constantFrom('icvpn', 'selfupgrade'), fc.nat(), garbage), { maxLength: 6 }),
        (n, entries) => {
          const fleet = fleetOf(n, EXAMPLE_JOBS);
          const good = new FleetScheduler(fleet).schedule();
          const lines = formatSchedulePins(
            good.weekdayGroups.map(({ group, days }) => ({ group, days: new Map(Object.entries(days)) })),
          ).split('\n');
          // Each garbage entry either replaces a host's days or names a host the fleet lacks.
          const bad = new Set<string>();
          for (const [group, pick, value] of entries) {
            const host = pick % 2 ? `gw${String((pick % n) + 1).padStart(2, '0')}` : `ghost${pick}`;
            if (bad.has(`${group}.${host}`)) continue;
            bad.add(`${group}.${host}`);
            const at = lines.indexOf(`  ${group}:`);
            const end = lines.findIndex((l, k) => k > at && !l.startsWith('    '));
            const own = lines.findIndex((l, k) => k > at && k < end && l.startsWith(`    ${host}:`));
            if (own >= 0) lines[own] = `    ${host}: ${value}`;
            else lines.splice(at + 1, 0, `    ${host}: ${value}`);
          }
          const after = new FleetScheduler(fleet, pinsOf(good, lines.join('\n'))).schedule();
          expect(after.collisions).toEqual([]);
          expect(after.pins?.warnings.length).toBeGreaterThanOrEqual(bad.size);
          for (const g of after.weekdayGroups) {
            const kept = Object.keys(g.days).filter((h) => !bad.has(`${g.group}.${h}`));
            const before = good.weekdayGroups.find((x) => x.group === g.group);
            // A host whose pin was garbage takes its freed days back (or the emptiest): no valid pin moves.
            expect(Object.fromEntries(kept.map((h) => [h, g.days[h]]))).toEqual(
              Object.fromEntries(kept.map((h) => [h, before?.days[h]])),
            );
            expect(g.pins?.moved).toEqual([]);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('drops pins of unknown hosts and groups and a second pin of a host, with warnings, and keeps the rest', () => {
    const text = [
      'weekdays:',
      '  icvpn:',
      '    gw01: [4]',
      '    GW02: [5]',
      '    gw02: [6]',
      '    gw99: [1]',
      '  retired:',
      '    gw01: [0]',
    ].join('\n');
    const schedule = new FleetScheduler(
      fleetOf(3, EXAMPLE_JOBS),
      pinsOf(fleetOf(0) as never, text),
    ).schedule();
    expect(schedule.collisions).toEqual([]);
    expect(schedule.pins?.warnings).toEqual([
      '/fleet/schedule.pins:5: weekdays.icvpn.gw02: gw02 is pinned twice; pin dropped',
      '/fleet/schedule.pins:6: weekdays.icvpn.gw99: no host "gw99" runs the weekday group icvpn; pin dropped',
      '/fleet/schedule.pins:7: weekdays.retired: no weekday group of this name in the fleet; its pins are ignored',
    ]);
    const icvpn = schedule.weekdayGroups.find((g) => g.group === 'icvpn');
    expect(icvpn?.days.gw01).toContain(4);
    expect(icvpn?.days.gw02).toContain(5);
    expect(icvpn?.pins?.added).toEqual(['gw03']);
  });
});
