import { ConfigError } from '@ffphoton/core';
import type { FleetJobSettings, FleetSettings } from '../../settings.js';
import { type Cadence, CronSyntaxError, type CronTimes, formatCron, overlaps, parseCadence } from './cron.js';
import { preferenceOrder } from './rendezvous.js';
import { spreadWeekdays } from './weekday-spread.js';

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
}

export interface Collision {
  kind: 'minute' | 'weekday' | 'uncovered';
  jobs: string[];
  hosts: string[];
  detail: string;
}

export interface FleetSchedule {
  hosts: FleetHost[];
  jobs: PlannedJob[];
  slots: Slot[];
  collisions: Collision[];
}

type Fleet = Pick<FleetSettings, 'hosts' | 'jobs'>;

/**
 * Turns the fleet settings into one cron time per job and host. Deterministic (rendezvous
 * hashing of job, host and candidate, never the host's position) and stable: a gateway
 * joining or leaving moves only the slots it competes for.
 */
export class FleetScheduler {
  constructor(private readonly fleet: Fleet) {}

  schedule(): FleetSchedule {
    const hosts = this.hosts();
    const parsed = this.fleet.jobs.map((job, index) => this.plan(job, index, hosts));
    const names = new Set<string>();
    parsed.forEach(({ job }, index) => {
      if (names.has(job.name))
        throw new ConfigError(`job "${job.name}" is defined twice`, { keyPath: `fleet.jobs[${index}].name` });
      names.add(job.name);
    });
    const weekdays = this.weekdayGroups(parsed.map((p) => p.job));
    const slots: Slot[] = [];
    for (const { job, cadence } of parsed) {
      for (const host of job.hosts) {
        const times = { ...cadence.times };
        if (job.spread === 'weekday') times.weekday = weekdays.get(job.group ?? job.name)?.get(host);
        slots.push({ job: job.name, host, cron: '', times });
      }
    }
    this.spreadMinutes(slots, parsed);
    for (const slot of slots) slot.cron = formatCron(slot.times);
    const jobs = parsed.map((p) => p.job);
    return { hosts, jobs, slots, collisions: findCollisions(jobs, slots) };
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
  ): { job: PlannedJob; cadence: Cadence } {
    const fail = (detail: string, key: string) =>
      new ConfigError(`job "${job.name}": ${detail}`, { keyPath: `fleet.jobs[${index}].${key}` });
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
  private weekdayGroups(jobs: PlannedJob[]): Map<string, Map<string, number[]>> {
    const groups = new Map<string, Map<string, number[]>>();
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
        groups.set(job.group, spreadWeekdays(job.group, job.hosts));
      }
    });
    return groups;
  }

  /**
   * Gives each minute-spread slot (git pushers) a minute offset no other minute-spread slot
   * in the fleet uses at an overlapping hour and weekday. Slots are placed in rendezvous
   * order, each taking its most preferred free offset.
   */
  private spreadMinutes(slots: Slot[], parsed: { job: PlannedJob; cadence: Cadence }[]): void {
    const steps = new Map(
      parsed.filter((p) => p.job.spread === 'minute').map((p) => [p.job.name, p.cadence.minuteStep ?? 60]),
    );
    const spread = slots.filter((slot) => steps.has(slot.job));
    const ordered = preferenceOrder(
      ['minute-order'],
      spread.map((slot) => `${slot.job}\u0000${slot.host}`),
    ).map((key) => spread.find((slot) => `${slot.job}\u0000${slot.host}` === key) as Slot);
    const placed: Slot[] = [];
    for (const slot of ordered) {
      const step = steps.get(slot.job) ?? 60;
      const offsets = Array.from({ length: step }, (_, i) => i);
      const offset = preferenceOrder([slot.job, slot.host, 'minute'], offsets).find((o) => {
        const candidate = { ...slot.times, minute: offsets.length === 60 ? [o] : range(o, step) };
        return !placed.some((other) => overlaps(candidate, other.times));
      });
      if (offset === undefined) {
        const index = this.fleet.jobs.findIndex((j) => j.name === slot.job);
        throw new ConfigError(
          `job "${slot.job}": no free minute left for ${slot.host}: more minute-spread jobs than minutes in the hour`,
          { keyPath: `fleet.jobs[${index}].spread` },
        );
      }
      slot.times.minute = range(offset, step);
      placed.push(slot);
    }
  }
}

const range = (offset: number, step: number) =>
  Array.from({ length: 60 / step }, (_, i) => offset + i * step);

/** Independent check of the invariants (reported by `schedule show`; empty when the scheduler did its job). */
export function findCollisions(jobs: PlannedJob[], slots: Slot[]): Collision[] {
  const collisions: Collision[] = [];
  const minuteJobs = new Set(jobs.filter((j) => j.spread === 'minute').map((j) => j.name));
  const spread = slots.filter((s) => minuteJobs.has(s.job));
  spread.forEach((a, i) => {
    for (const b of spread.slice(i + 1)) {
      if (overlaps(a.times, b.times)) {
        collisions.push({
          kind: 'minute',
          jobs: [a.job, b.job],
          hosts: [a.host, b.host],
          detail: `${a.job}@${a.host} (${a.cron}) and ${b.job}@${b.host} (${b.cron}) start in the same minute`,
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
  const cron = new Map(after.slots.map((s) => [`${s.job}\u0000${s.host}`, s.cron]));
  let moved = 0;
  let compared = 0;
  for (const slot of before.slots) {
    const next = cron.get(`${slot.job}\u0000${slot.host}`);
    if (next === undefined) continue;
    compared += 1;
    if (next !== slot.cron) moved += 1;
  }
  return { moved, compared };
}
