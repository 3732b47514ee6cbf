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
