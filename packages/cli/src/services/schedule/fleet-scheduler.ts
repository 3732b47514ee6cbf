import { ConfigError } from '@ffphoton/core';
import type { FleetJobSettings, FleetSettings } from '../../settings.js';
import { type Cadence, CronSyntaxError, type CronTimes, formatCron, overlaps, parseCadence } from './cron.js';
import { preferenceOrder } from './rendezvous.js';
import { pinWarning, type SchedulePins } from './schedule-pins.js';
import { spreadWeekdays, spreadWeekdaysPinned } from './weekday-spread.js';

export interface FleetHost {
  name: string;
  roles: string[];
  index: number;
}

export interface PlannedJob {
  name: string;
  description?: string;
  command: string[];
  cadence: string;
  spread: FleetJobSettings['spread'];
  /** Weekday jobs only: the group whose days it shares. */
  group?: string;
  timeoutSeconds?: number;
  /** `cadence: always`: a long-running service (systemd restarts it), no time slot. */
  always?: true;
  /** Host names in fleet order. */
  hosts: string[];
}

/** One job on one host. */
export interface Slot {
  job: string;
  host: string;
  /** The five cron fields. */
  cron: string;
  times: CronTimes;
  /** Seconds to wait after the cron minute (minute-spread slots sharing a minute; 0 otherwise). */
  delaySeconds: number;
}

export interface Collision {
  kind: 'minute' | 'weekday' | 'uncovered';
  jobs: string[];
  hosts: string[];
  detail: string;
}

/** How busy the spread jobs make the fleet. */
export interface FleetLoad {
  /** Per minute of the hour (0–59): how many minute-spread slots start in it. */
  minutes: number[];
  /** The most minute-spread slots sharing one minute (1 = none shared; more: they start seconds apart). */
  maxPerMinute: number;
  /** Per weekday group: how many hosts run it on each weekday (0 = Sunday). */
  weekdays: { group: string; hosts: number[] }[];
}

/** One weekday group's days. */
export interface WeekdayGroup {
  group: string;
  /** Each host's weekdays (0 = Sunday), in fleet order. */
  days: Record<string, number[]>;
  /** Present when the pins file pins this group: pinned hosts that had to move, hosts placed anew. */
  pins?: { moved: string[]; added: string[] };
}

export interface FleetSchedule {
  hosts: FleetHost[];
  jobs: PlannedJob[];
  slots: Slot[];
  collisions: Collision[];
  load: FleetLoad;
  weekdayGroups: WeekdayGroup[];
  /** Present when a pins file was read: its path and the pins it could not use. */
  pins?: { file: string; warnings: string[] };
}

type Fleet = Pick<FleetSettings, 'hosts' | 'jobs'>;

/**
 * Turns the fleet settings into one cron time per job and host. Deterministic (rendezvous
 * hashing of job, host and candidate, never the host's position) and stable: a gateway
 * joining or leaving moves only the slots it competes for. With pins (`schedule pin`), the
 * weekday groups keep their pinned days and move at most one host per join or leave.
 */
export class FleetScheduler {
  constructor(
    private readonly fleet: Fleet,
    private readonly pins?: SchedulePins,
  ) {}

  schedule(): FleetSchedule {
    const hosts = this.hosts();
    const parsed = this.fleet.jobs.map((job, index) => this.plan(job, index, hosts));
    const names = new Set<string>();
    parsed.forEach(({ job }, index) => {
      if (names.has(job.name))
        throw new ConfigError(`job "${job.name}" is defined twice`, { keyPath: `fleet.jobs[${index}].name` });
      names.add(job.name);
    });
    const warnings = [...(this.pins?.warnings ?? [])];
    const weekdayGroups = this.weekdayGroups(
      parsed.map((p) => p.job),
      warnings,
    );
    const slots: Slot[] = [];
    for (const { job, cadence } of parsed) {
      if (!cadence) continue;
      for (const host of job.hosts) {
        const times = { ...cadence.times };
        if (job.spread === 'weekday')
          times.weekday = weekdayGroups.find((g) => g.group === job.group)?.days[host];
        slots.push({ job: job.name, host, cron: '', times, delaySeconds: 0 });
      }
    }
    this.spreadMinutes(slots, parsed.filter(isTimed));
    for (const slot of slots) slot.cron = formatCron(slot.times);
    const jobs = parsed.map((p) => p.job);
    return {
      hosts,
      jobs,
      slots,
      collisions: findCollisions(jobs, slots),
      load: loadOf(jobs, slots),
      weekdayGroups,
      ...(this.pins ? { pins: { file: this.pins.file, warnings } } : {}),
    };
  }

  private hosts(): FleetHost[] {
    const seen = new Set<string>();
    return this.fleet.hosts.map((host, index) => {
      const key = host.name.toLowerCase();
      if (seen.has(key))
        throw new ConfigError(`host "${host.name}" is listed twice`, {
          keyPath: `fleet.hosts[${index}].name`,
        });
      seen.add(key);
      return { name: host.name, roles: host.roles, index };
    });
  }

  private plan(
    job: FleetJobSettings,
    index: number,
    hosts: FleetHost[],
  ): { job: PlannedJob; cadence?: Cadence } {
    const fail = (detail: string, key: string) =>
      new ConfigError(`job "${job.name}": ${detail}`, { keyPath: `fleet.jobs[${index}].${key}` });
    if (job.cadence.trim() === ALWAYS) return { job: this.planAlways(job, hosts, fail) };
    let cadence: Cadence;
    try {
      cadence = parseCadence(job.cadence, job.at);
    } catch (error) {
      if (error instanceof CronSyntaxError)
        throw fail(`invalid cadence "${job.cadence}": ${error.message}`, 'cadence');
      throw error;
    }
    if (cadence.weekdayPlaceholder && job.spread !== 'weekday')
      throw fail('the weekday "U" needs spread: weekday', 'spread');
    if (
      job.spread === 'weekday' &&
      ((cadence.times.weekday && !cadence.weekdayPlaceholder) || cadence.times.dayOfMonth)
    ) {
      throw fail(`cannot be spread over weekdays: "${job.cadence}" already fixes the days it runs`, 'spread');
    }
    if (job.spread === 'minute' && cadence.minuteStep === undefined) {
      throw fail(
        `cannot be spread over minutes: "${job.cadence}" runs every minute or at irregular minutes`,
        'spread',
      );
    }
    return {
      job: {
        name: job.name,
        ...(job.description ? { description: job.description } : {}),
        command: job.command,
        cadence: job.cadence,
        spread: job.spread,
        ...(job.spread === 'weekday' ? { group: job.group ?? job.name } : {}),
        ...(job.timeoutSeconds ? { timeoutSeconds: job.timeoutSeconds } : {}),
        hosts: this.selectHosts(job, hosts, (detail) => fail(detail, 'hosts')),
      },
      cadence,
    };
  }

  /** A service has no time to spread and no end to time out; systemd keeps it running. */
  private planAlways(
    job: FleetJobSettings,
    hosts: FleetHost[],
    fail: (detail: string, key: string) => ConfigError,
  ): PlannedJob {
    if (job.spread !== 'none') throw fail('cannot be spread: it always runs', 'spread');
    if (job.at !== undefined) throw fail('"at" needs a timed cadence, not "always"', 'at');
    if (job.group !== undefined) throw fail('a weekday group needs a timed cadence, not "always"', 'group');
    if (job.timeoutSeconds !== undefined)
      throw fail('has no timeout: it always runs (systemd restarts it on failure)', 'timeoutSeconds');
    return {
      name: job.name,
      ...(job.description ? { description: job.description } : {}),
      command: job.command,
      cadence: ALWAYS,
      spread: 'none',
      always: true,
      hosts: this.selectHosts(job, hosts, (detail) => fail(detail, 'hosts')),
    };
  }

  private selectHosts(
    job: FleetJobSettings,
    hosts: FleetHost[],
    fail: (detail: string) => ConfigError,
  ): string[] {
    const byName = (name: string) => hosts.find((h) => h.name.toLowerCase() === name.toLowerCase());
    if (Array.isArray(job.hosts)) {
      const wanted = job.hosts.map((name) => {
        const host = byName(name);
        if (!host)
          throw fail(
            `unknown host "${name}" (fleet.hosts: ${hosts.map((h) => h.name).join(', ') || 'none'})`,
          );
        return host.name;
      });
      return hosts.filter((h) => wanted.includes(h.name)).map((h) => h.name);
    }
    if (job.hosts === 'all') return hosts.map((h) => h.name);
    const withRole = hosts.filter((h) => h.roles.includes(job.hosts as string));
    if (withRole.length) return withRole.map((h) => h.name);
    const single = byName(job.hosts);
    if (single) return [single.name];
    throw fail(`no host has the role "${job.hosts}" and no host is called so`);
  }

  /** Jobs of one weekday group must run on the same hosts, or "every day covered" means nothing. */
  private weekdayGroups(jobs: PlannedJob[], warnings: string[]): WeekdayGroup[] {
    const groups: WeekdayGroup[] = [];
    const members = new Map<string, PlannedJob>();
    jobs.forEach((job, index) => {
      if (job.spread !== 'weekday' || job.group === undefined) return;
      const first = members.get(job.group);
      if (first && first.hosts.join() !== job.hosts.join()) {
        throw new ConfigError(
          `job "${job.name}": weekday group "${job.group}" runs on ${first.hosts.join(', ')} for job "${first.name}"; its jobs must share their hosts`,
          { keyPath: `fleet.jobs[${index}].hosts` },
        );
      }
      if (!first) {
        members.set(job.group, job);
        groups.push(this.spreadGroup(job.group, job.hosts, warnings));
      }
    });
    for (const group of this.pins?.groups.keys() ?? []) {
      if (!members.has(group) && this.pins)
        warnings.push(
          pinWarning(this.pins, 'no weekday group of this name in the fleet; its pins are ignored', [group]),
        );
    }
    return groups;
  }

  /** A group without pins is spread stateless, as without a pins file. */
  private spreadGroup(group: string, hosts: string[], warnings: string[]): WeekdayGroup {
    const pinned = this.pins?.groups.get(group);
    if (!this.pins || !pinned) return { group, days: Object.fromEntries(spreadWeekdays(group, hosts)) };
    const byName = new Map(hosts.map((h) => [h.toLowerCase(), h]));
    const pins = new Map<string, number[]>();
    for (const entry of pinned) {
      const host = byName.get(entry.host.toLowerCase());
      const drop = (why: string) =>
        warnings.push(pinWarning(this.pins as SchedulePins, `${why}; pin dropped`, [group, entry.host]));
      if (host === undefined) drop(`no host "${entry.host}" runs the weekday group ${group}`);
      else if (pins.has(host)) drop(`${host} is pinned twice`);
      else pins.set(host, entry.days);
    }
    const { days, moved, added } = spreadWeekdaysPinned(group, hosts, pins);
    return { group, days: Object.fromEntries(days), pins: { moved, added } };
  }

  /**
   * Gives each minute-spread slot (git pushers) a seat: a minute offset modulo g (the greatest
   * common divisor of the jobs' minute steps) and a delay in seconds. No two slots share a seat,
   * so no two start in the same second, whatever their hours. Each slot's minute is its own
   * rendezvous choice; slots sharing a minute take, in a fixed rendezvous order, the first free
   * delay of their own preference among DELAY_SEATS seconds. A join or leave therefore moves
   * only a slot that wanted the newcomer's second (measured: docs/performance.md). The price:
   * even a small fleet may share a minute, its hosts then start at least 3 s apart.
   */
  private spreadMinutes(slots: Slot[], parsed: { job: PlannedJob; cadence: Cadence }[]): void {
    const steps = new Map(
      parsed.filter((p) => p.job.spread === 'minute').map((p) => [p.job.name, p.cadence.minuteStep ?? 60]),
    );
    const spread = new Map(
      slots.filter((slot) => steps.has(slot.job)).map((slot) => [`${slot.job}\u0000${slot.host}`, slot]),
    );
    if (spread.size === 0) return;
    const g = [...steps.values()].reduce(gcd);
    const taken = Array.from({ length: g }, () => new Set<number>());
    const residues = Array.from({ length: g }, (_, r) => r);
    for (const key of preferenceOrder(['minute-order'], [...spread.keys()])) {
      const slot = spread.get(key) as Slot;
      // The slot's own first minute (no other slot's choice moves it), unless all its seconds are taken.
      const r = preferenceOrder([slot.job, slot.host, 'minute'], residues).find((c) => taken[c].size < 60);
      if (r === undefined) {
        const index = this.fleet.jobs.findIndex((j) => j.name === slot.job);
        throw new ConfigError(
          `job "${slot.job}": no free second left for ${slot.host}: ${spread.size} minute-spread slots, more than 60 in each of the ${g} minutes the jobs' steps leave`,
          { keyPath: `fleet.jobs[${index}].spread` },
        );
      }
      const free = (second: number) => !taken[r].has(second);
      const delay = (preferenceOrder([slot.job, slot.host, 'delay'], DELAY_SEATS).find(free) ??
        OTHER_SECONDS.find(free)) as number;
      taken[r].add(delay);
      const step = steps.get(slot.job) ?? 60;
      // Which of the job's offsets with this residue: the host's own choice, no one else's.
      const [k] = preferenceOrder(
        [slot.job, slot.host, 'offset', r],
        Array.from({ length: step / g }, (_, j) => j),
      );
      slot.times.minute = range(r + k * g, step);
      slot.delaySeconds = delay;
    }
  }
}

/** The cadence of a long-running service. */
const ALWAYS = 'always';

const isTimed = (p: { job: PlannedJob; cadence?: Cadence }): p is { job: PlannedJob; cadence: Cadence } =>
  p.cadence !== undefined;

/** Sharers of a minute take these delays first (every 3 s), then, in a very crowded minute, the other seconds. */
const DELAY_SEATS = Array.from({ length: 20 }, (_, i) => i * 3);
const OTHER_SECONDS = Array.from({ length: 60 }, (_, i) => i).filter((s) => s % 3 !== 0);

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

const range = (offset: number, step: number) =>
  Array.from({ length: 60 / step }, (_, i) => offset + i * step);

function loadOf(jobs: PlannedJob[], slots: Slot[]): FleetLoad {
  const minuteJobs = new Set(jobs.filter((j) => j.spread === 'minute').map((j) => j.name));
  const spread = slots.filter((s) => minuteJobs.has(s.job));
  const minutes = Array.from({ length: 60 }, () => 0);
  for (const slot of spread) for (const m of slot.times.minute) minutes[m] += 1;
  const sharing = spread.map((slot) => spread.filter((other) => overlaps(slot.times, other.times)).length);
  const maxPerMinute = Math.max(0, ...sharing);
  const weekdays: FleetLoad['weekdays'] = [];
  for (const job of jobs) {
    if (job.group === undefined || weekdays.some((w) => w.group === job.group)) continue;
    const hosts = Array.from({ length: 7 }, () => 0);
    for (const slot of slots.filter((s) => s.job === job.name))
      for (const day of slot.times.weekday ?? [0, 1, 2, 3, 4, 5, 6]) hosts[day] += 1;
    weekdays.push({ group: job.group, hosts });
  }
  return { minutes, maxPerMinute, weekdays };
}

/** Independent check of the invariants (reported by `schedule show`; empty when the scheduler did its job). */
export function findCollisions(jobs: PlannedJob[], slots: Slot[]): Collision[] {
  const collisions: Collision[] = [];
  const minuteJobs = new Set(jobs.filter((j) => j.spread === 'minute').map((j) => j.name));
  const spread = slots.filter((s) => minuteJobs.has(s.job));
  spread.forEach((a, i) => {
    for (const b of spread.slice(i + 1)) {
      if (a.delaySeconds === b.delaySeconds && overlaps(a.times, b.times)) {
        collisions.push({
          kind: 'minute',
          jobs: [a.job, b.job],
          hosts: [a.host, b.host],
          detail: `${a.job}@${a.host} (${a.cron}) and ${b.job}@${b.host} (${b.cron}) start in the same second`,
        });
      }
    }
  });
  const groups = new Map<string, PlannedJob>();
  for (const job of jobs) if (job.group !== undefined && !groups.has(job.group)) groups.set(job.group, job);
  for (const [group, job] of groups) {
    const limit = Math.max(1, Math.ceil(job.hosts.length / 7));
    const jobSlots = slots.filter((s) => s.job === job.name);
    for (let day = 0; day < 7; day += 1) {
      const on = jobSlots
        .filter((s) => s.times.weekday === undefined || s.times.weekday.includes(day))
        .map((s) => s.host);
      if (on.length > limit) {
        collisions.push({
          kind: 'weekday',
          jobs: [job.name],
          hosts: on,
          detail: `weekday group ${group}: ${on.length} hosts on day ${day}`,
        });
      }
      if (on.length === 0 && job.hosts.length > 0) {
        collisions.push({
          kind: 'uncovered',
          jobs: [job.name],
          hosts: [],
          detail: `weekday group ${group}: no host on day ${day}`,
        });
      }
    }
  }
  return collisions;
}

/** How many slots of hosts present in both schedules run at another time in `after`. */
export function movedSlots(before: FleetSchedule, after: FleetSchedule): { moved: number; compared: number } {
  const when = (s: Slot) => `${s.cron} +${s.delaySeconds}s`;
  const cron = new Map(after.slots.map((s) => [`${s.job}\u0000${s.host}`, when(s)]));
  let moved = 0;
  let compared = 0;
  for (const slot of before.slots) {
    const next = cron.get(`${slot.job}\u0000${slot.host}`);
    if (next === undefined) continue;
    compared += 1;
    if (next !== when(slot)) moved += 1;
  }
  return { moved, compared };
}
