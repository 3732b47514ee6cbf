import { describe, expect, it } from 'vitest';
import { crontabLines } from './crontab.js';
import { FleetScheduler } from './fleet-scheduler.js';
import { systemdUnits } from './systemd-units.js';

// A gateway running the respondd responder (always) next to a timed job.
const fleet = {
  hosts: [
    { name: 'Spinat', roles: ['gw'] },
    { name: 'Pudding', roles: ['srv'] },
  ],
  jobs: [
    {
      name: 'respondd',
      description: 'respondd responder for the map',
      hosts: 'gw',
      command: ['photon', 'respondd', 'serve'],
      cadence: 'always',
      spread: 'none' as const,
    },
    {
      name: 'fastd-limit',
      hosts: 'gw',
      command: ['photon', 'fastd', 'limit'],
      cadence: 'every 5m',
      spread: 'none' as const,
    },
  ],
  photon: ['/usr/local/bin/photon'],
  logDir: '/var/log/photon',
  systemdUser: undefined as string | undefined,
};

describe('an always-running job', () => {
  const schedule = new FleetScheduler(fleet).schedule();

  it('is a Type=simple service restarted on failure, without a timer', () => {
    const units = systemdUnits(schedule, 'Spinat', fleet);
    expect(units.map((u) => u.name)).toEqual([
      'photon-respondd.service',
      'photon-fastd-limit.service',
      'photon-fastd-limit.timer',
    ]);
    const service = units[0].content;
    expect(service).toContain('\nType=simple\n');
    expect(service).toContain('\nRestart=on-failure\n');
    expect(service).toMatch(/\nRestartSec=\d+\n/);
    expect(service).toContain(
      '\nExecStart=/usr/local/bin/photon respondd serve --log-file /var/log/photon/respondd.log\n',
    );
    expect(service).toMatch(/\n\[Install\]\nWantedBy=multi-user\.target\n$/);
    expect(service).not.toContain('oneshot');
    // The timed job stays a oneshot started by its timer.
    expect(units[1].content).toContain('\nType=oneshot\n');
  });

  it('is, like the timers, a unit to enable (the timed services are started by their timers)', () => {
    const units = systemdUnits(schedule, 'Spinat', fleet);
    expect(units.filter((u) => u.enable).map((u) => u.name)).toEqual([
      'photon-respondd.service',
      'photon-fastd-limit.timer',
    ]);
  });

  it('runs as fleet.systemdUser when set', () => {
    const [service] = systemdUnits(schedule, 'Spinat', { ...fleet, systemdUser: 'photon' });
    expect(service.content).toContain('\nUser=photon\n');
  });

  it('is not a crontab entry: a comment names the systemd unit instead', () => {
    const lines = crontabLines(schedule, 'Spinat', fleet);
    const respondd = lines.filter((l) => l.includes('respondd'));
    expect(respondd).toHaveLength(1);
    expect(respondd[0]).toMatch(/^# respondd: respondd responder for the map \(always running/);
    expect(respondd[0]).toContain('systemctl enable --now photon-respondd.service');
    expect(lines.filter((l) => !l.startsWith('#'))).toHaveLength(1);
  });

  it('runs a program other than photon as it is (photon exec would end it at its timeout)', () => {
    const daemon = {
      ...fleet,
      jobs: [
        { ...fleet.jobs[0], name: 'mesh-announce', command: ['/usr/local/bin/respondd.py', '-d', '/srv'] },
      ],
    };
    const [service] = systemdUnits(new FleetScheduler(daemon).schedule(), 'Spinat', daemon);
    expect(service.content).toContain('\nExecStart=/usr/local/bin/respondd.py -d /srv\n');
  });

  it('is not on hosts outside its selection', () => {
    expect(systemdUnits(schedule, 'Pudding', fleet)).toEqual([]);
    expect(crontabLines(schedule, 'Pudding', fleet)).toEqual([]);
  });
});
