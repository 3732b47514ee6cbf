import { preferenceOrder } from './rendezvous.js';

const WEEK = [0, 1, 2, 3, 4, 5, 6];

/**
 * Spreads a group of weekday jobs over its hosts: every weekday is covered, and a weekday
 * has at most one host while the group has at most 7 hosts (more hosts: each host gets one
 * day, at most ⌈n/7⌉ hosts a day). Hosts choose days in their own rendezvous order, so a
 * host joining or leaving only moves the days it takes or frees (plus rare knock-ons).
 */
export function spreadWeekdays(group: string, hosts: readonly string[]): Map<string, number[]> {
  const n = hosts.length;
  const days = new Map<string, number[]>(hosts.map((h) => [h, []]));
  if (n === 0) return days;
  const cap = Math.ceil(n / 7);
  const minimum = Math.floor(n / 7);
  const count = WEEK.map(() => 0);
  const deficit = () => count.reduce((sum, c) => sum + Math.max(0, minimum - c), 0);
  const order = preferenceOrder([group, 'order'], hosts);
  order.forEach((host, position) => {
    const left = n - position - 1;
    for (const day of preferenceOrder([group, host], WEEK)) {
      if (count[day] >= cap) continue;
      count[day] += 1;
      // Leave enough hosts to bring every other day up to its minimum.
      if (deficit() <= left) {
        days.get(host)?.push(day);
        break;
      }
      count[day] -= 1;
    }
  });
  // Fewer than 7 hosts: each remaining day goes to its rendezvous winner.
  for (const day of WEEK) {
    if (count[day] > 0) continue;
    const [winner] = preferenceOrder([group, 'day', day], hosts);
    days.get(winner)?.push(day);
    count[day] = 1;
  }
  for (const list of days.values()) list.sort((a, b) => a - b);
  return days;
}

/** A pinned spread: the days, and which pinned hosts had to leave their pins. */
export interface PinnedWeekdays {
  days: Map<string, number[]>;
  /** Hosts with a pin whose days changed (the fewest the constraints allow). */
  moved: string[];
  /** Hosts without a pin, placed anew. */
  added: string[];
}

/**
 * The same constraints as `spreadWeekdays`, but stateful: every host keeps its pinned days
 * while the caps still hold, new hosts fill the emptiest days, and only what a join or leave
 * breaks is repaired, by moving hosts that move anyway first, else as few pinned hosts as
 * possible (a join moves at most the host that gives a newcomer one of its several days, a
 * leave at most one host from the fullest day). A stateless spread cannot promise that: which
 * day a host wins depends on every other host.
 */
export function spreadWeekdaysPinned(
  group: string,
  hosts: readonly string[],
  pins: ReadonlyMap<string, readonly number[]>,
): PinnedWeekdays {
  const n = hosts.length;
  const days = new Map<string, Set<number>>(hosts.map((h) => [h, new Set()]));
  if (n === 0) return { days: new Map(), moved: [], added: [] };
  const count = WEEK.map(() => 0);
  const give = (host: string, day: number) => {
    days.get(host)?.add(day);
    count[day] += 1;
  };
  const take = (host: string, day: number) => {
    days.get(host)?.delete(day);
    count[day] -= 1;
  };
  const order = preferenceOrder([group, 'order'], hosts);
  const pinOf = (host: string) => [...new Set(pins.get(host) ?? [])].sort((a, b) => a - b);
  const changed = (host: string) => {
    const own = [...(days.get(host) ?? [])].sort((a, b) => a - b);
    return own.join() !== pinOf(host).join();
  };
  // Who gives up a day or moves: a host that moves anyway first, then the fixed order.
  const byCost = (candidates: string[]) =>
    [...candidates].sort(
      (a, b) => Number(changed(b)) - Number(changed(a)) || order.indexOf(a) - order.indexOf(b),
    );
  const single = n >= 7;
  const cap = Math.ceil(n / 7);
  const minimum = Math.floor(n / 7);

  // Keep the pins that still fit: one day per host from 7 hosts on, one host per day below.
  for (const host of order) {
    const pinned = pinOf(host);
    if (single) {
      const day = pinned.find((d) => count[d] < cap);
      if (day !== undefined) give(host, day);
    } else {
      for (const day of pinned) if (count[day] === 0) give(host, day);
    }
  }
  // Hosts without a day: the emptiest day of their own preference; below 7 hosts and no day
  // free, a day of the host holding the most days.
  for (const host of order) {
    if (days.get(host)?.size) continue;
    const preferred = preferenceOrder([group, host], WEEK);
    const emptiest = Math.min(...count);
    const day = preferred.find((d) => count[d] === emptiest) as number;
    if (single || emptiest === 0) {
      give(host, day);
      continue;
    }
    const most = Math.max(...order.map((h) => days.get(h)?.size ?? 0));
    const [donor] = byCost(order.filter((h) => days.get(h)?.size === most));
    const taken = preferred.find((d) => days.get(donor)?.has(d)) as number;
    take(donor, taken);
    give(host, taken);
  }
  // A leave can empty a day or drop one below ⌊n/7⌋: fill it from the fullest day (7 hosts and
  // more), or give every uncovered day to one host (fewer).
  for (const day of preferenceOrder([group, 'repair'], WEEK)) {
    if (single) {
      while (count[day] < minimum) {
        const fullest = Math.max(...count);
        const source = preferenceOrder([group, 'repair'], WEEK).find((d) => count[d] === fullest) as number;
        const [mover] = byCost(order.filter((h) => days.get(h)?.has(source)));
        take(mover, source);
        give(mover, day);
      }
    } else if (count[day] === 0) {
      const fewest = (candidates: string[]) => {
        const least = Math.min(...candidates.map((h) => days.get(h)?.size ?? 0));
        return candidates.filter((h) => days.get(h)?.size === least);
      };
      const movedAlready = order.filter(changed);
      const [receiver] = fewest(movedAlready.length ? movedAlready : order);
      give(receiver, day);
    }
  }
  const result = new Map(hosts.map((h) => [h, [...(days.get(h) ?? [])].sort((a, b) => a - b)]));
  return {
    days: result,
    moved: hosts.filter((h) => pinOf(h).length > 0 && changed(h)),
    added: hosts.filter((h) => pinOf(h).length === 0),
  };
}
