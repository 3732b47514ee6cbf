import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { photonSync, repoRoot } from './helpers/photon.js';

const fleetFile = path.join(repoRoot, 'examples/community/fleet.yaml');
const work = mkdtempSync(path.join(os.tmpdir(), 'photon-schedule-e2e-'));

const photon = (args: string[], env: Record<string, string> = {}) =>
  photonSync(args, { env: { PHOTON_DATA_DIR: path.join(work, 'data'), ...env } });

/** `schedule systemd` for one host of the example fleet, into /etc/systemd/system. */
const systemd = (host: string, ...extra: string[]) =>
  photon([
    'schedule',
    'systemd',
    '--config',
    fleetFile,
    '--host',
    host,
    '--out',
    '/etc/systemd/system',
    ...extra,
  ]);

afterAll(() => rmSync(work, { recursive: true, force: true }));

const json = (r: { stdout: string }) => JSON.parse(r.stdout);
const expand = (field: string) =>
  (field === '*' ? '0-6' : field).split(',').flatMap((part) => {
    const [a, b] = part.split('-').map(Number);
    return b === undefined ? [a] : Array.from({ length: b - a + 1 }, (_, i) => a + i);
  });

interface Slot {
  job: string;
  host: string;
  cron: string;
  times: { minute: number[]; hour: number[] };
  delaySeconds: number;
}

describe('photon schedule on the example fleet', () => {
  let schedule: {
    hosts: { name: string }[];
    jobs: { name: string; spread: string; group?: string }[];
    slots: Slot[];
    collisions: unknown[];
  };

  beforeAll(() => {
    const r = photon(['schedule', 'show', '--config', fleetFile, '--json']);
    expect(r.code, r.stderr).toBe(0);
    schedule = json(r).result;
  });

  it('has the seven documented hosts and no collisions', () => {
    expect(schedule.hosts.map((h) => h.name)).toEqual([
      'Kaschu',
      'Lotuswurzel',
      'Spinat',
      'Wasserfloh',
      'Linse',
      'Aubergine',
      'Pudding',
    ]);
    expect(schedule.collisions).toEqual([]);
  });

  it('runs the ICVPN updates on one gateway a day, every day, tinc/bgp/dns together', () => {
    for (const job of ['icvpn-tinc', 'icvpn-bgp', 'icvpn-roa', 'icvpn-dns']) {
      const slots = schedule.slots.filter((s) => s.job === job);
      expect(slots.map((s) => s.host).sort()).toEqual([
        'Kaschu',
        'Linse',
        'Lotuswurzel',
        'Spinat',
        'Wasserfloh',
      ]);
      const days = slots.flatMap((s) => expand(s.cron.split(' ')[4]));
      expect(days.sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    }
    for (const host of ['Kaschu', 'Spinat']) {
      const dayField = (job: string) =>
        schedule.slots.find((s) => s.job === job && s.host === host)?.cron.split(' ')[4];
      expect(dayField('icvpn-bgp')).toBe(dayField('icvpn-tinc'));
      expect(dayField('icvpn-dns')).toBe(dayField('icvpn-tinc'));
    }
  });

  it('never starts two git-pushing jobs in the same second', () => {
    const pushers = new Set(schedule.jobs.filter((j) => j.spread === 'minute').map((j) => j.name));
    expect(pushers).toEqual(new Set(['snapshot-configs', 'fastd-sync']));
    const seen = new Map<string, string>();
    for (const slot of schedule.slots.filter((s) => pushers.has(s.job))) {
      for (const h of slot.times.hour) {
        for (const m of slot.times.minute) {
          const key = `${h}:${m}:${slot.delaySeconds}`;
          expect(seen.get(key), `${slot.job}@${slot.host} at ${key}`).toBeUndefined();
          seen.set(key, `${slot.job}@${slot.host}`);
        }
      }
    }
  });

  it('prints the table and is deterministic', () => {
    const a = photon(['schedule', 'show', '--config', fleetFile]);
    const b = photon(['schedule', 'show', '--config', fleetFile]);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout).toMatch(/^job\s+spread\s+Kaschu\s+Lotuswurzel/);
    expect(a.stdout).toMatch(/icvpn-tinc\s+weekday\s+0 3 \* \* \d/);
  });

  it.each([
    ['cadence: 61 3 * * *', /job "broken": invalid cadence "61 3 \* \* \*"/],
    ['hosts: [Kaschu, Gurke]', /job "broken": unknown host "Gurke"/],
    ['cadence: "0 3 * * 1"\n      spread: weekday', /job "broken": cannot be spread over weekdays/],
  ])('exits 2 naming the job for bad input (%s)', (line, message) => {
    const file = path.join(work, `bad-${randomBytes(3).toString('hex')}.yaml`);
    const base = line.startsWith('hosts') ? 'cadence: daily' : 'hosts: all';
    writeFileSync(
      file,
      `fleet:\n  hosts: [{ name: Kaschu, roles: [gw] }]\n  jobs:\n    - name: broken\n      command: [photon, web, site]\n      ${base}\n      ${line}\n`,
    );
    const r = photon(['schedule', 'show', '--config', file, '--json']);
    expect(r.code).toBe(2);
    expect(json(r).error.message).toMatch(message);
  });

  it('writes systemd units through --root and honours --dry-run', () => {
    const root = mkdtempSync(path.join(work, 'root-'));
    const dry = systemd('Aubergine', '--root', root, '--dry-run', '--json');
    expect(dry.code, dry.stderr).toBe(0);
    expect(readdirSync(root)).toEqual([]);
    const r = systemd('Aubergine', '--root', root, '--json');
    expect(r.code, r.stderr).toBe(0);
    const dir = path.join(root, 'etc/systemd/system');
    expect(readdirSync(dir)).toContain('photon-openwrt-mirror.timer');
    expect(readFileSync(path.join(dir, 'photon-openwrt-mirror.timer'), 'utf8')).toContain(
      'OnCalendar=*-*-* 02:00:00',
    );
    expect(readFileSync(path.join(dir, 'photon-openwrt-mirror.service'), 'utf8')).toMatch(
      /ExecStart=.*photon exec --name openwrt-mirror --timeout 21600 --log-file %h\/\.cronlog\/openwrt-mirror\.log -- \/usr\/bin\/rsync/,
    );
    expect(readdirSync(dir).some((f) => f.includes('icvpn'))).toBe(false);
  });
});

describe('photon schedule crontab --install on the real crontab', () => {
  const user = `phs${randomBytes(3).toString('hex')}`;
  const userEntry = "17 4 * * * /usr/local/bin/backup --quiet # the admin's own job";
  /** The real `crontab -u user`; `input` is the new crontab when `args` is `-`. */
  const crontab = (args: string[], input?: string) =>
    spawnSync('crontab', ['-u', user, ...args], { input, encoding: 'utf8' });
  const current = () => crontab(['-l']).stdout;
  /** `schedule crontab --install` of one host's share into the test user's crontab. */
  const install = (
    host: string,
    extra: string[] = [],
    options: { user?: string; env?: Record<string, string> } = {},
  ) =>
    photon(
      [
        'schedule',
        'crontab',
        '--config',
        fleetFile,
        '--host',
        host,
        '--install',
        '--user',
        options.user ?? user,
        ...extra,
      ],
      options.env,
    );

  beforeAll(() => {
    execFileSync('useradd', ['--no-create-home', user]);
    const seeded = crontab(['-'], `MAILTO=admin@example.org\n${userEntry}\n`);
    expect(seeded.status, seeded.stderr).toBe(0);
  });

  afterAll(() => {
    crontab(['-r']);
    spawnSync('userdel', [user]);
  });

  it('installs between markers, keeps the user entry, and is idempotent', () => {
    const first = install('Kaschu', ['--json']);
    expect(first.code, first.stderr).toBe(0);
    expect(json(first).result).toMatchObject({ host: 'Kaschu', installed: true, changed: true });
    const installed = current();
    expect(installed.startsWith(`MAILTO=admin@example.org\n${userEntry}\n# BEGIN photon schedule`)).toBe(
      true,
    );
    expect(installed).toMatch(
      /\n0 3 \* \* \d(,\d)* env PHOTON_DATA_DIR=\/var\/lib\/photon \/usr\/local\/bin\/photon icvpn tinc --log-file "\$HOME"\/\.cronlog\/icvpn-tinc\.log >\/dev\/null\n/,
    );
    expect(installed).toContain('photon exec --name firmware-rsync --timeout 3600');
    expect(installed.trimEnd().endsWith('# END photon schedule')).toBe(true);

    const again = install('Kaschu', ['--json']);
    expect(json(again).result.changed).toBe(false);
    expect(current()).toBe(installed);

    // Another host's share replaces the block, nothing else; entries added after it stay too.
    crontab(['-'], `${installed}@reboot /usr/bin/true\n`);
    const other = install('Aubergine');
    expect(other.code, other.stderr).toBe(0);
    const replaced = current();
    expect(replaced).toContain(userEntry);
    expect(replaced).toContain('@reboot /usr/bin/true');
    expect(replaced).toContain('openwrt-mirror');
    expect(replaced).not.toContain('icvpn tinc');
    expect(replaced.match(/# BEGIN photon schedule/g)).toHaveLength(1);
  });

  it('changes nothing with --dry-run', () => {
    const before = current();
    const r = install('Spinat', ['--dry-run', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(json(r).result.changed).toBe(true);
    expect(current()).toBe(before);
  });

  it('exits 69 when the crontab cannot be read', () => {
    const r = install('Kaschu', [], { user: `${user}-missing` });
    expect(r.code).toBe(69);
    expect(r.stderr).toMatch(/cannot read the crontab/);
  });

  it('changes nothing when the crontab cannot be written', () => {
    const before = current();
    // A crontab that reads with the real binary and refuses every write.
    const readOnly = path.join(work, 'crontab-read-only');
    writeFileSync(
      readOnly,
      '#!/bin/sh\nfor a; do [ "$a" = "-" ] && { echo "crontab: write refused" >&2; exit 1; }; done\nexec crontab "$@"\n',
    );
    chmodSync(readOnly, 0o755);
    const r = install('Linse', [], { env: { PHOTON_FLEET__CRONTAB: `[${readOnly}]` } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/write refused/);
    expect(current()).toBe(before);
  });
});
