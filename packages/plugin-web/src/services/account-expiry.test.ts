import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FileStore, RootSandbox } from '@ffphoton/core';
import { describe, expect, it } from 'vitest';
import { digestText } from './account-digest.js';
import {
  bucketAccounts,
  loadAccountsFile,
  parseAccountsFile,
  parseDate,
  weekdayOf,
} from './account-expiry.js';

const original = `
accounts:
  a: &A {login: ffmwu, provider: Rheinland, until: '01.03.2026'}
  b: &B {login: ffmwu2, provider: Rheinland, until: '20.01.2026'}
  c: &C {login: old, provider: Hide, until: '01.01.2026'}
  d: {login: typo, provider: Hide, until: '31.02.2026'}
conf: {warndays: 10, digestday: 0, date_format: '%d.%m.%Y'}
gateways: {Kaschu: *A, Lotuswurzel: *A, Spinat: b, Wasserfloh: *C, Ghost: zz, Ingwer: {login: x, provider: y, until: 5}}
`;

describe('accounts file and expiry buckets', () => {
  it('reads the original exitvpn.yaml: aliases and names both refer to accounts', () => {
    const file = parseAccountsFile(original, 'exitvpn.yaml');
    expect(file.accounts.map((a) => [a.name, a.gateways])).toEqual([
      ['a', ['Kaschu', 'Lotuswurzel']],
      ['b', ['Spinat']],
      ['c', ['Wasserfloh']],
      ['d', []],
      ['Ingwer (inline)', ['Ingwer']],
    ]);
    expect(file.dangling).toEqual([{ gateway: 'Ghost', account: 'zz' }]);
    expect(file).toMatchObject({ warnDays: 10, digestWeekday: 0, dateFormat: '%d.%m.%Y' });
  });

  it('sorts into good, warning, overdue and names every bad entry', () => {
    const buckets = bucketAccounts(parseAccountsFile(original, 'exitvpn.yaml'), new Date(2026, 0, 14, 12));
    expect(buckets.good.map((e) => e.account)).toEqual(['a']);
    expect(buckets.warning).toMatchObject([{ account: 'b', daysLeft: 5, gateways: ['Spinat'] }]);
    expect(buckets.overdue).toMatchObject([{ account: 'c', daysLeft: -13 }]);
    expect(buckets.invalid).toEqual([
      { entry: 'd', reason: 'until "31.02.2026" is not a date in the format %d.%m.%Y' },
      { entry: 'Ingwer (inline)', reason: 'until 5 is not a date in the format %d.%m.%Y' },
      { entry: 'gateway Ghost', reason: 'refers to the unknown account zz' },
    ]);
    const text = digestText(buckets, 'gw1', 'Update exitvpn.yaml in the configs repository.');
    expect(text).toMatch(/^Accounts need attention \(gw1\)\./);
    expect(text).toContain(
      'OVERDUE:\n  - c: Hide / old, until 01.01.2026 (13 day(s) overdue); used by Wasserfloh',
    );
    expect(text).toContain('  - d: until "31.02.2026" is not a date');
    expect(text.trim().endsWith('Update exitvpn.yaml in the configs repository.')).toBe(true);
  });

  it('an account ends at the start of its until day, as in the original', () => {
    const file = parseAccountsFile(
      "accounts: {a: {until: '2026-01-20'}}\nconf: {date_format: '%Y-%m-%d'}",
      'f',
    );
    expect(bucketAccounts(file, new Date(2026, 0, 19, 23, 59)).warning).toHaveLength(1);
    expect(bucketAccounts(file, new Date(2026, 0, 20, 0, 0)).overdue).toHaveLength(1);
    expect(bucketAccounts(file, new Date(2026, 0, 9, 23, 59)).good).toHaveLength(1);
  });

  it('parses strftime-style dates strictly', () => {
    expect(parseDate('01.01.2018', '%d.%m.%Y')).toEqual(new Date(2018, 0, 1));
    expect(parseDate('1/2/18', '%m/%d/%y')).toEqual(new Date(2018, 0, 2));
    expect(parseDate('2018-13-01', '%Y-%m-%d')).toBeUndefined();
    expect(parseDate('01.01.2018 junk', '%d.%m.%Y')).toBeUndefined();
    expect(parseDate('01.01.2018', '%d.%b.%Y')).toBeUndefined();
    expect(weekdayOf(new Date(2026, 0, 12))).toBe(0);
    expect(parseAccountsFile('conf: {digestday: friday}', 'f').digestWeekday).toBe(4);
  });

  it('refuses a file that is not an accounts file, naming the key', () => {
    expect(() => parseAccountsFile('conf: {warndays: soon}', 'exitvpn.yaml')).toThrow(
      /exitvpn.yaml: conf.warndays/,
    );
    expect(() => parseAccountsFile('a: [', 'exitvpn.yaml')).toThrow(/exitvpn\.yaml:1:\d+: invalid YAML/);
  });
});

describe('the accounts file is bounded input', () => {
  it('a FIFO in its place is refused at once, naming the file (exit 2)', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'photon-accounts-'));
    execFileSync('mkfifo', [path.join(root, 'exitvpn.yaml')]);
    const files = new FileStore(new RootSandbox(root));
    const outcome = await Promise.race([
      loadAccountsFile(files, '/exitvpn.yaml').catch((error: Error) => error.message),
      new Promise((resolve) => setTimeout(() => resolve('hangs'), 2000)),
    ]);
    expect(outcome).toBe('/exitvpn.yaml: not a regular file (a FIFO)');
  });
});
