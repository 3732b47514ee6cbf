import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { photonSync, repoRoot } from './helpers/photon.js';

// Issue 17: `photon schedule pin` writes schedule.pins beside the fleet settings; with it, a
// joining or leaving gateway moves at most one other gateway's weekdays.
const work = mkdtempSync(path.join(os.tmpdir(), 'photon-schedule-pin-'));
const fleetDir = path.join(work, 'fleet');
const fleetFile = path.join(fleetDir, 'fleet.yaml');
const pinsFile = path.join(fleetDir, 'schedule.pins');
const example = readFileSync(path.join(repoRoot, 'examples/community/fleet.yaml'), 'utf8');

afterAll(() => rmSync(work, { recursive: true, force: true }));

const photon = (...args: string[]) =>
  photonSync([...args, '--config', fleetDir], { env: { PHOTON_DATA_DIR: path.join(work, 'data') } });
const json = (r: { stdout: string }) => JSON.parse(r.stdout).result;
/** The warnings photon logged (JSON lines on stderr without a terminal). */
const warnings = (r: { stderr: string }) =>
  r.stderr
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line))
    .filter((entry) => entry.level === 40 || entry.level === 'warn')
    .map((entry) => entry.msg as string);

interface Group {
  group: string;
  days: Record<string, number[]>;
  pins?: { moved: string[]; added: string[] };
}
const groupsOf = (r: { stdout: string }): Group[] => json(r).weekdayGroups;
/** The fleet with hosts added after the example's gateways, or one of them taken out. */
function writeFleet(change: { add?: string[]; remove?: string } = {}): void {
  let text = example;
  for (const name of change.add ?? [])
    text = text.replace('    - { name: Linse, roles: [gw] }\n', `$&    - { name: ${name}, roles: [gw] }\n`);
  if (change.remove) text = text.replace(`    - { name: ${change.remove}, roles: [gw] }\n`, '');
  writeFileSync(fleetFile, text);
}
const movedBetween = (before: Group[], after: Group[], group: string) => {
  const a = before.find((g) => g.group === group)?.days ?? {};
  const b = after.find((g) => g.group === group)?.days ?? {};
  return Object.keys(a).filter((host) => host in b && a[host].join() !== b[host].join());
};

describe('photon schedule pin', () => {
  let stateless: Group[];

  beforeAll(() => {
    mkdirSync(fleetDir);
    writeFleet();
    const r = photon('schedule', 'show', '--json');
    expect(r.code, r.stderr).toBe(0);
    stateless = groupsOf(r);
    expect(json(r).pins).toBeUndefined();
  });

  it('writes nothing with --dry-run', () => {
    const r = photon('schedule', 'pin', '--dry-run');
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(pinsFile)).toBe(false);
    expect(r.stdout).toMatch(/^icvpn: Kaschu \d/m);
  });

  it('writes the current weekdays beside the fleet settings, then reports them up to date', () => {
    const r = photon('schedule', 'pin', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(json(r)).toMatchObject({ file: pinsFile, changed: true, hadPins: false });
    expect(json(r).groups.map((g: Group) => [g.group, g.days])).toEqual(
      stateless.map((g) => [g.group, g.days]),
    );
    const text = readFileSync(pinsFile, 'utf8');
    expect(text).toMatch(/^weekdays:\n {2}icvpn:\n {4}Kaschu: \[\d(, \d)*\]$/m);
    const again = photon('schedule', 'pin', '--json');
    expect(json(again)).toMatchObject({ changed: false, hadPins: true });
    expect(readFileSync(pinsFile, 'utf8')).toBe(text);
    // A --config directory reads its *.yaml files as settings: schedule.pins is not one of them.
    const show = photon('schedule', 'show');
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toContain(`pins (icvpn): from ${pinsFile}, 0 host(s) moved from their pins, 0 new`);
  });

  it('keeps the pinned days when gateways join and leave: at most one gateway moves', () => {
    let before = stateless;
    for (const change of [{ add: ['Gurke'] }, { add: ['Gurke', 'Erbse'] }, { add: ['Erbse'] }]) {
      writeFleet(change);
      const r = photon('schedule', 'show', '--json');
      expect(r.code, r.stderr).toBe(0);
      const after = groupsOf(r);
      for (const group of ['icvpn', 'selfupgrade']) {
        const report = after.find((g) => g.group === group)?.pins;
        expect(report?.moved.length, `${group} ${JSON.stringify(change)}`).toBeLessThanOrEqual(1);
        expect(movedBetween(before, after, group)).toEqual(report?.moved);
      }
      expect(json(r).collisions).toEqual([]);
      // The crontab of an unmoved gateway runs the pinned weekday.
      const icvpn = after.find((g) => g.group === 'icvpn') as Group;
      const pinned = before.find((g) => g.group === 'icvpn') as Group;
      const steady = Object.keys(pinned.days).find((h) => !icvpn.pins?.moved.includes(h)) as string;
      const crontab = photon('schedule', 'crontab', '--host', steady);
      expect(crontab.code, crontab.stderr).toBe(0);
      expect(crontab.stdout).toContain(`0 3 * * ${pinned.days[steady].join(',')} `);
      const pin = photon('schedule', 'pin');
      expect(pin.code, pin.stderr).toBe(0);
      before = after;
    }
    // Erbse's pins are stale now: dropped with a warning naming the file, line and key.
    writeFleet();
    const r = photon('schedule', 'show', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(warnings(r)).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `schedule pins: ${pinsFile}:\\d+: weekdays\\.icvpn\\.Erbse: no host "Erbse" runs the weekday group icvpn; pin dropped`,
        ),
      ),
    );
    for (const group of ['icvpn', 'selfupgrade'])
      expect(movedBetween(before, groupsOf(r), group).length).toBeLessThanOrEqual(1);
    expect(photon('schedule', 'pin').code).toBe(0);
    expect(readFileSync(pinsFile, 'utf8')).not.toContain('Erbse');
  });

  it('drops a garbage pin with a warning and keeps the others', () => {
    const good = readFileSync(pinsFile, 'utf8');
    const kaschu = /^ {4}Kaschu: (.*)$/m.exec(good)?.[1];
    writeFileSync(pinsFile, good.replace(/^( {4}Kaschu: )\[(\d)/m, '$1[9, $2'));
    const r = photon('schedule', 'show', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(warnings(r)).toEqual([
      expect.stringMatching(
        /weekdays\.icvpn\.Kaschu\[0\]: 9 is no weekday \(0–6, 0 = Sunday\); day dropped$/,
      ),
    ]);
    expect(`[${groupsOf(r)[0].days.Kaschu.join(', ')}]`).toBe(kaschu);
    expect(groupsOf(r)[0].pins?.moved).toEqual([]);
    writeFileSync(pinsFile, good);
  });

  it('refuses a malformed pins file with exit 2 naming file and line, and changes nothing', () => {
    const good = readFileSync(pinsFile, 'utf8');
    writeFileSync(pinsFile, good.replace('  selfupgrade:\n', '  selfupgrade: [1\n'));
    const broken = readFileSync(pinsFile, 'utf8');
    for (const command of [
      ['schedule', 'show'],
      ['schedule', 'crontab', '--host', 'Kaschu'],
      ['schedule', 'pin'],
    ]) {
      const r = photon(...command);
      expect(r.code, command.join(' ')).toBe(2);
      expect(r.stderr).toContain(`${pinsFile}:`);
      expect(r.stderr).toMatch(/invalid YAML/);
    }
    expect(readFileSync(pinsFile, 'utf8')).toBe(broken);
    writeFileSync(pinsFile, good);
  });

  it('writes into the --root sandbox, not beside the settings outside it', () => {
    const root = mkdtempSync(path.join(work, 'root-'));
    const before = readFileSync(pinsFile, 'utf8');
    copyFileSync(fleetFile, path.join(work, 'alone.yaml'));
    const r = photonSync([
      'schedule',
      'pin',
      '--config',
      path.join(work, 'alone.yaml'),
      '--root',
      root,
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(json(r).file).toBe(path.join(work, 'schedule.pins'));
    expect(existsSync(path.join(root, work, 'schedule.pins'))).toBe(true);
    expect(existsSync(path.join(work, 'schedule.pins'))).toBe(false);
    expect(readFileSync(pinsFile, 'utf8')).toBe(before);
  });
});
