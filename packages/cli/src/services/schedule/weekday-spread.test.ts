import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { spreadWeekdays, spreadWeekdaysPinned } from './weekday-spread.js';

/** ≤ ⌈n/7⌉ hosts a day, ≥ ⌊n/7⌋, every day covered; ≤ 7 hosts: one host a day, each host a day of its own. */
function expectValid(days: Map<string, number[]>, hosts: string[]): void {
  const n = hosts.length;
  // One assertion per call: the walks check some 1,500 spreads.
  const problems: string[] = [];
  if ([...days.keys()].sort().join() !== [...hosts].sort().join()) problems.push('hosts differ');
  const count = [0, 0, 0, 0, 0, 0, 0];
  for (const [host, list] of days) {
    if (list.length === 0 || (n >= 7 && list.length !== 1)) problems.push(`${host}: days ${list}`);
    for (const day of list) count[day] += 1;
  }
  if (n > 0 && Math.max(...count) > Math.ceil(n / 7)) problems.push(`over the cap: ${count}`);
  if (n > 0 && Math.min(...count) < Math.max(1, Math.floor(n / 7)))
    problems.push(`under the floor: ${count}`);
  expect(problems).toEqual([]);
}

/** Hosts present before and after whose days differ. */
const movedHosts = (before: Map<string, number[]>, after: Map<string, number[]>) =>
  [...before].filter(([host, list]) => after.has(host) && after.get(host)?.join() !== list.join()).length;

/** A walk of joins (at any position) and leaves (any host) over fleets of 1 to 100 hosts. */
const walk = fc.record({
  salt: fc.string({ maxLength: 4 }),
  steps: fc.array(fc.tuple(fc.boolean(), fc.nat()), { minLength: 120, maxLength: 220 }),
});

describe('spreadWeekdaysPinned', () => {
  it('with its own result as pins, changes nothing', () => {
    for (let n = 0; n <= 30; n += 1) {
      const hosts = Array.from({ length: n }, (_, i) => `gw${i}`);
      const stateless = spreadWeekdays('icvpn', hosts);
      const pinned = spreadWeekdaysPinned('icvpn', hosts, stateless);
      expect(pinned.days).toEqual(stateless);
      expect(pinned.moved).toEqual([]);
      expect(pinned.added).toEqual([]);
    }
  });

  it('moves at most one pinned host per join or leave, for fleets of 1 to 100, caps and coverage held', () => {
    fc.assert(
      fc.property(walk, ({ salt, steps }) => {
        let next = 0;
        const fresh = () => {
          next += 1;
          return `${salt}h${next}`;
        };
        let hosts = [fresh()];
        let pins = spreadWeekdaysPinned('icvpn', hosts, new Map()).days;
        // Grow to 100 first (joins only), then wander: every size from 1 to 100 is seen.
        const plan = [
          ...Array.from({ length: 99 }, (_, i) => [true, i * 7919] as [boolean, number]),
          ...steps,
        ];
        for (const [join, pick] of plan) {
          if (join && hosts.length < 100) hosts.splice(pick % (hosts.length + 1), 0, fresh());
          else if (!join && hosts.length > 1) hosts = hosts.filter((_, i) => i !== pick % hosts.length);
          else continue;
          const result = spreadWeekdaysPinned('icvpn', hosts, pins);
          expectValid(result.days, hosts);
          const moved = movedHosts(pins, result.days);
          expect(moved, `${hosts.length} hosts`).toBeLessThanOrEqual(1);
          expect(result.moved.length).toBe(moved);
          expect(result.added.length).toBe(join ? 1 : 0);
          pins = result.days;
        }
      }),
      // About 0.25 s a run (some 300 spreads of up to 100 hosts); no shrinking of a long walk.
      { numRuns: 16, endOnFailure: true },
    );
  });

  it('repairs any pins, garbage included, into a valid spread and keeps what fits', () => {
    const day = fc.integer({ min: 0, max: 6 });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.array(fc.tuple(fc.nat(), fc.array(day, { maxLength: 8 })), { maxLength: 60 }),
        (n, raw) => {
          const hosts = Array.from({ length: n }, (_, i) => `gw${i}`);
          const pins = new Map(raw.map(([i, days]) => [`gw${i % (n + 5)}`, days]));
          const result = spreadWeekdaysPinned('selfupgrade', hosts, pins);
          expectValid(result.days, hosts);
          for (const host of hosts) {
            const pinned = [...new Set(pins.get(host) ?? [])];
            if (!result.moved.includes(host) && pinned.length > 0)
              expect(result.days.get(host)).toEqual(pinned.sort((a, b) => a - b));
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('gives a joining host a day of the host that held two, and a leaving host’s days to one host', () => {
    const six = ['a', 'b', 'c', 'd', 'e', 'f'];
    const pins = spreadWeekdays('g', six);
    const [double] = six.filter((h) => pins.get(h)?.length === 2);
    const joined = spreadWeekdaysPinned('g', [...six, 'new'], pins);
    expect(joined.moved).toEqual([double]);
    expect(joined.added).toEqual(['new']);
    expect(pins.get(double)).toContain(joined.days.get('new')?.[0]);

    const left = spreadWeekdaysPinned('g', six.slice(1), pins);
    expect(left.moved.length).toBe(1);
    const [heir] = left.moved;
    expect(left.days.get(heir)).toEqual([...(pins.get(heir) ?? []), ...(pins.get('a') ?? [])].sort());
  });
});
