import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Journal, type RunRecord } from './journal.js';

const record = (task: string, start: string, outcome: RunRecord['outcome'] = 'ok'): RunRecord => ({
  task,
  runId: start.slice(-6),
  argv: [],
  host: 'kaschu',
  dryRun: false,
  start,
  end: start,
  durationMs: 1,
  outcome,
  exitCode: outcome === 'ok' ? 0 : 1,
  summary: `${task} ${start}`,
  commands: [],
  files: [],
  services: [],
  mails: [],
});

describe('Journal', () => {
  it('keeps the last N records per task and lists them newest first', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'photon-journal-'));
    const journal = new Journal(dir, 2);
    for (const start of [
      '2026-11-26T01:00:00.000Z',
      '2026-11-26T02:00:00.000Z',
      '2026-11-26T03:00:00.000Z',
    ]) {
      await journal.write(record('fastd-limit', start));
    }
    await journal.write(record('icvpn-update', '2026-11-26T02:30:00.000Z', 'failed'));
    expect(readdirSync(path.join(dir, 'fastd-limit'))).toHaveLength(2);
    expect((await journal.history('fastd-limit')).map((r) => r.start)).toEqual([
      '2026-11-26T03:00:00.000Z',
      '2026-11-26T02:00:00.000Z',
    ]);
    expect((await journal.latestPerTask()).map((r) => [r.task, r.outcome])).toEqual([
      ['fastd-limit', 'ok'],
      ['icvpn-update', 'failed'],
    ]);
  });

  it('prunes the oldest records by start time, whatever order they were written in', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'photon-journal-'));
    const journal = new Journal(dir, 3);
    // Written out of order (a clock set back, a slow run ending late): pruning goes by name.
    for (const hour of ['05', '01', '08', '03', '07', '02', '06', '04'])
      await journal.write(record('fastd-limit', `2026-11-26T${hour}:00:00.000Z`));
    expect(readdirSync(path.join(dir, 'fastd-limit')).sort()).toEqual([
      '2026-11-26T06-00-00-000Z-0.000Z.json',
      '2026-11-26T07-00-00-000Z-0.000Z.json',
      '2026-11-26T08-00-00-000Z-0.000Z.json',
    ]);
  });

  it('skips a damaged record instead of failing history', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'photon-journal-'));
    const journal = new Journal(dir, 5);
    await journal.write(record('web-build', '2026-11-26T01:00:00.000Z'));
    writeFileSync(path.join(dir, 'web-build', 'zz-broken.json'), '{"task": ');
    expect(await journal.history('web-build')).toHaveLength(1);
  });

  it('reads only the records asked for, newest first across tasks, falling back past a damaged newest one', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'photon-journal-'));
    const journal = new Journal(dir, 10);
    for (const hour of ['01', '02', '03', '04'])
      await journal.write(record('web-build', `2026-11-26T${hour}:00:00.000Z`));
    await journal.write(record('alfred-zone', '2026-11-26T03:30:00.000Z', 'failed'));
    // Sorts after every real record: the newest by name, and unreadable.
    writeFileSync(path.join(dir, 'alfred-zone', '9999-broken.json'), '{"task": ');
    expect((await journal.history(undefined, 3)).map((r) => [r.task, r.start.slice(11, 16)])).toEqual([
      ['web-build', '04:00'],
      ['alfred-zone', '03:30'],
      ['web-build', '03:00'],
    ]);
    expect((await journal.latestPerTask()).map((r) => [r.task, r.outcome])).toEqual([
      ['web-build', 'ok'],
      ['alfred-zone', 'failed'],
    ]);
  });

  it('leaves no temp when a record cannot be written, and removes temps earlier runs left', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'photon-journal-'));
    const journal = new Journal(dir, 10);
    const taskDir = path.join(dir, 'alfred-announce');
    mkdirSync(taskDir, { recursive: true });
    // Left by the previous implementation after ENOSPC, and by a killed writer.
    writeFileSync(path.join(taskDir, '2026-11-26T00-00-00-000Z-aaaaaa.json.tmp'), '{"ta');
    writeFileSync(path.join(taskDir, '.2026-11-26T00-01-00-000Z-bbbbbb.json.p999999999.0a0b0c0d.tmp'), '{');
    // The record's own name is taken by a directory: the rename fails like a full disk would.
    const blocked = record('alfred-announce', '2026-11-26T01:00:00.000Z');
    mkdirSync(path.join(taskDir, '2026-11-26T01-00-00-000Z-0.000Z.json'));
    await expect(journal.write(blocked)).rejects.toThrow();
    expect(readdirSync(taskDir)).toEqual([
      '2026-11-26T00-00-00-000Z-aaaaaa.json.tmp',
      '2026-11-26T01-00-00-000Z-0.000Z.json',
    ]);
    await journal.write(record('alfred-announce', '2026-11-26T02:00:00.000Z'));
    expect(readdirSync(taskDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('has no history before the first run, for every task and for one', async () => {
    const journal = new Journal(path.join(mkdtempSync(path.join(os.tmpdir(), 'photon-journal-')), 'runs'), 5);
    expect([
      await journal.history(),
      await journal.history('fastd-limit'),
      await journal.latestPerTask(),
    ]).toEqual([[], [], []]);
  });

  it('files a task name that is no file name under a safe one', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'photon-journal-'));
    const journal = new Journal(dir, 5);
    const file = await journal.write(record('../web build:x', '2026-11-26T01:00:00.000Z'));
    expect(path.relative(dir, file)).toBe('..-web-build-x/2026-11-26T01-00-00-000Z-0.000Z.json');
    expect((await journal.history('../web build:x')).map((r) => r.task)).toEqual(['../web build:x']);
  });

  it('counts and reads only records: other files in a task directory are neither pruned nor read', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'photon-journal-'));
    const journal = new Journal(dir, 2);
    const taskDir = path.join(dir, 'web-build');
    mkdirSync(taskDir, { recursive: true });
    // A complete record left as a temp by the old implementation, and an admin's note.
    writeFileSync(
      path.join(taskDir, 'zz-late.json.tmp'),
      JSON.stringify(record('web-build', '2026-11-26T09:00:00.000Z')),
    );
    writeFileSync(
      path.join(taskDir, 'notes.txt'),
      JSON.stringify(record('web-build', '2026-11-26T08:00:00.000Z')),
    );
    expect(await journal.history('web-build')).toEqual([]);
    await journal.write(record('web-build', '2026-11-26T01:00:00.000Z'));
    await journal.write(record('web-build', '2026-11-26T02:00:00.000Z'));
    expect(readdirSync(taskDir).sort()).toEqual([
      '2026-11-26T01-00-00-000Z-0.000Z.json',
      '2026-11-26T02-00-00-000Z-0.000Z.json',
      'notes.txt',
    ]);
    expect((await journal.history('web-build')).map((r) => r.start.slice(11, 13))).toEqual(['02', '01']);
  });
});
