import { describe, expect, it } from 'vitest';
import { crontabLines } from './crontab.js';
import { FleetScheduler } from './fleet-scheduler.js';
import { systemdUnits } from './systemd-units.js';

// 40 gateways pushing every 15 minutes share the 15 minutes: the sharers start seconds apart.
const fleet = {
  hosts: Array.from({ length: 40 }, (_, i) => ({ name: `gw${i + 1}`, roles: ['gw'] })),
  jobs: [
    {
      name: 'fastd-sync',
      hosts: 'gw',
      command: ['photon', 'fastd', 'sync-keys'],
      cadence: 'every 15m',
      spread: 'minute' as const,
    },
  ],
  photon: ['photon'],
  logDir: '/var/log/photon',
  systemdUser: undefined,
};

describe('the delay of a host that shares its minute', () => {
  const schedule = new FleetScheduler(fleet).schedule();
  const delayed = schedule.slots.find((s) => s.delaySeconds > 0);

  it('exists in a crowded fleet, and no two slots share a second', () => {
    expect(delayed).toBeDefined();
    const starts = schedule.slots.map((s) => `${s.times.minute[0]}:${s.delaySeconds}`);
    expect(new Set(starts).size).toBe(starts.length);
    expect(schedule.load.maxPerMinute).toBeGreaterThan(1);
  });

  it('is a sleep before the command in the crontab line', () => {
    const slot = delayed!;
    const [, line] = crontabLines(schedule, slot.host, fleet);
    expect(line).toBe(
      `${slot.cron} sleep ${slot.delaySeconds}; photon fastd sync-keys --log-file /var/log/photon/fastd-sync.log >/dev/null`,
    );
    const first = schedule.slots.find((s) => s.delaySeconds === 0)!;
    expect(crontabLines(schedule, first.host, fleet)[1]).not.toContain('sleep');
  });

  it('is the second of the timer', () => {
    const slot = delayed!;
    const timer = systemdUnits(schedule, slot.host, fleet).find((u) => u.name.endsWith('.timer'))!;
    const second = String(slot.delaySeconds).padStart(2, '0');
    expect(timer.content).toMatch(new RegExp(`^OnCalendar=\\*-\\*-\\* \\*:[0-9,]+:${second}$`, 'm'));
  });
});
