import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError } from '@ffphoton/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatSchedulePins, parseSchedulePins, pinsFileOf, readSchedulePins } from './schedule-pins.js';

const FILE = '/etc/photon/schedule.pins';

describe('parseSchedulePins', () => {
  it('reads what formatSchedulePins writes, names YAML would mistake for other types included', () => {
    const groups = [
      {
        group: 'icvpn',
        days: new Map([
          ['Kaschu', [3]],
          ['Linse', [0, 5]],
          ['true', [1]],
          ['1e3', [2]],
          ['null', [4, 6]],
        ]),
      },
      { group: 'empty', days: new Map<string, number[]>() },
    ];
    const pins = parseSchedulePins(formatSchedulePins(groups), FILE);
    expect(pins.warnings).toEqual([]);
    expect([...pins.groups.keys()]).toEqual(['icvpn', 'empty']);
    expect(pins.groups.get('icvpn')?.map(({ host, days }) => [host, days])).toEqual([
      ['Kaschu', [3]],
      ['Linse', [0, 5]],
      ['true', [1]],
      ['1e3', [2]],
      ['null', [4, 6]],
    ]);
    expect(parseSchedulePins(formatSchedulePins([]), FILE).groups.size).toBe(0);
  });

  it('drops a day outside 0–6 or a host without a day, with a warning naming file, line and key', () => {
    const text = [
      'weekdays:',
      '  icvpn:',
      '    Kaschu: [3, 9]',
      '    Linse: 5',
      '    Spinat: Mon',
      '    Wasserfloh: []',
      '    Aubergine: [-1, 2.5, "4"]',
      '    Pudding: { day: 1 }',
    ].join('\n');
    const pins = parseSchedulePins(text, FILE);
    expect(pins.groups.get('icvpn')?.map(({ host, days }) => [host, days])).toEqual([
      ['Kaschu', [3]],
      ['Linse', [5]],
    ]);
    expect(pins.lineOf(['weekdays', 'icvpn', 'Linse'])).toBe(4);
    expect(pins.warnings).toEqual([
      `${FILE}:3: weekdays.icvpn.Kaschu[1]: 9 is no weekday (0–6, 0 = Sunday); day dropped`,
      `${FILE}:5: weekdays.icvpn.Spinat: "Mon" is no weekday (0–6, 0 = Sunday); day dropped`,
      `${FILE}:6: weekdays.icvpn.Wasserfloh: no weekday; pin dropped`,
      `${FILE}:7: weekdays.icvpn.Aubergine[0]: -1 is no weekday (0–6, 0 = Sunday); day dropped`,
      `${FILE}:7: weekdays.icvpn.Aubergine[1]: 2.5 is no weekday (0–6, 0 = Sunday); day dropped`,
      `${FILE}:7: weekdays.icvpn.Aubergine[2]: "4" is no weekday (0–6, 0 = Sunday); day dropped`,
      `${FILE}:8: weekdays.icvpn.Pudding: {"day":1} is no weekday (0–6, 0 = Sunday); day dropped`,
    ]);
  });

  it.each([
    ['weekdays:\n  icvpn: [1, 2\n', /schedule\.pins:3:1: invalid YAML/],
    [
      'weekdays:\n  icvpn:\n    Kaschu: [1]\n    Kaschu: [2]\n',
      /schedule\.pins:4:5: invalid YAML: Map keys must be unique/,
    ],
    ['- Kaschu\n', /schedule\.pins:1: expected a mapping with the key "weekdays"/],
    ['weekdays: {}\nweekday:\n  icvpn: {}\n', /schedule\.pins:2: weekday: unknown key "weekday"/],
    ['weekdays: [icvpn]\n', /schedule\.pins:1: weekdays: expected a mapping of weekday groups/],
    ['weekdays:\n  icvpn: 3\n', /schedule\.pins:2: weekdays\.icvpn: expected a mapping of hosts to weekdays/],
    [`weekdays: ${'['.repeat(5000)}`, /schedule\.pins: nested deeper than/],
  ])('refuses a malformed file with exit 2 naming file, line and key: %#', (text, message) => {
    let error: unknown;
    try {
      parseSchedulePins(text, FILE);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).exitCode).toBe(2);
    expect((error as Error).message).toMatch(message);
  });

  it('takes an empty file as no pins', () => {
    expect(parseSchedulePins('', FILE).groups.size).toBe(0);
    expect(parseSchedulePins('weekdays:\n', FILE).groups.size).toBe(0);
  });

  it('never throws anything but a ConfigError, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        try {
          parseSchedulePins(`weekdays:\n  g:\n    h: ${text}\n`, FILE);
          parseSchedulePins(text, FILE);
        } catch (error) {
          expect(error).toBeInstanceOf(ConfigError);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('readSchedulePins', () => {
  it('reads bounded input: none when missing, exit 2 for a device or an oversized file', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'schedule-pins-'));
    const files = { resolve: (p: string) => p };
    try {
      expect(readSchedulePins(files, path.join(dir, 'schedule.pins'))).toBeUndefined();
      symlinkSync('/dev/zero', path.join(dir, 'zero.pins'));
      expect(() => readSchedulePins(files, path.join(dir, 'zero.pins'))).toThrow(ConfigError);
      writeFileSync(path.join(dir, 'big.pins'), `# ${'x'.repeat(5 * 1024 * 1024)}\n`);
      expect(() => readSchedulePins(files, path.join(dir, 'big.pins'))).toThrow(/big\.pins.*(MiB|large)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('pinsFileOf', () => {
  const layer = (kind: 'system' | 'config' | 'env', file: string, data: Record<string, unknown>) => ({
    kind,
    file,
    data,
  });

  it('is beside the last settings file that lists fleet.hosts, else the last with a fleet', () => {
    expect(
      pinsFileOf({
        layers: [
          layer('system', '/etc/photon/photon.yaml', { fleet: { hosts: [] } }),
          layer('config', '/srv/fleet/jobs.yaml', { fleet: { jobs: [] } }),
          layer('env', '<environment>', { fleet: { hosts: [] } }),
        ],
      }),
    ).toBe('/etc/photon/schedule.pins');
    expect(pinsFileOf({ layers: [layer('config', '/srv/fleet/jobs.yaml', { fleet: { jobs: [] } })] })).toBe(
      '/srv/fleet/schedule.pins',
    );
    expect(pinsFileOf({ layers: [layer('config', '/srv/x.yaml', { mail: {} })] })).toBeUndefined();
  });
});
