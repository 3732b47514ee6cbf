import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decideIncident, errorFingerprint, type Incident, IncidentLog } from './incidents.js';

describe('errorFingerprint', () => {
  it('is the same for the same failure with other timestamps, pids and ids, and differs otherwise', () => {
    const a = errorFingerprint(
      1,
      'FAILED',
      'alfred: socket /run/alfred.sock refused at 2026-12-01T10:00:00.123Z (pid 4711, run 3fa9c2e1)',
    );
    const b = errorFingerprint(
      1,
      'FAILED',
      'alfred: socket /run/alfred.sock refused at 2026-12-02T23:59:59Z (pid 99, run 0b1c2d3e4f)',
    );
    expect(a).toBe(b);
    expect(errorFingerprint(69, 'FAILED', 'alfred: socket /run/alfred.sock refused')).not.toBe(
      errorFingerprint(1, 'FAILED', 'alfred: socket /run/alfred.sock refused'),
    );
    expect(errorFingerprint(1, 'FAILED', 'no gateway online')).not.toBe(
      errorFingerprint(1, 'FAILED', 'alfred down'),
    );
  });

  it.each([
    // timestamps: ISO or with a blank, with Z, ±hh:mm, ±hhmm or no zone, fractions kept inside
    ['at 2026-12-01T10:00:00.123Z.', 'at <time>.'],
    ['at 2026-12-01 10:00:00+01:00 and 2026-12-01T10:00:00-0530', 'at <time> and <time>'],
    ['since 2026-12-01 10:00:00 (local)', 'since <time> (local)'],
    // ids: hex runs of 6 or more with a letter and a digit anywhere in them
    ['run 12345a, id abc123, key 0b1c2d3e4f', 'run <hex>, id <hex>, key <hex>'],
    // a pure number or a word of hex letters is no id; shorter runs keep their letters
    ['pid 1234567 of deadbeef ok', 'pid <n> of deadbeef ok'],
    ['code abc12', 'code abc<n>'],
    // numbers with their decimals
    ['took 1.25 s for 10 of 12.5', 'took <n> s for <n> of <n>'],
  ])('normalizes %j', (message, stable) => {
    expect(errorFingerprint(75, 'TEMPFAIL', message)).toBe(`75 TEMPFAIL ${stable}`);
  });
});

describe('decideIncident', () => {
  const run = (exitCode: number, at: string, fingerprint = 'f') => ({
    task: 't',
    exitCode,
    fingerprint,
    summary: 's',
    at: new Date(at),
  });
  const day = 24 * 3_600_000;

  it('opens on a failure, suppresses repeats until the reminder is due, closes on success', () => {
    const first = decideIncident(undefined, run(1, '2026-12-01T00:00:00Z'), day);
    expect(first.note?.decision).toBe('mailed');
    const mailed = { ...first.next!, mailedAt: '2026-12-01T00:00:01Z' };
    const repeat = decideIncident(mailed, run(1, '2026-12-01T12:00:00Z'), day);
    expect(repeat.note).toMatchObject({
      decision: 'suppressed',
      failures: 2,
      since: '2026-12-01T00:00:00.000Z',
    });
    expect(decideIncident(repeat.next, run(1, '2026-12-02T00:00:02Z'), day).note?.decision).toBe('reminder');
    expect(decideIncident(mailed, run(1, '2026-12-01T12:00:00Z', 'other'), day).note?.decision).toBe(
      'mailed',
    );
    const ok = decideIncident(repeat.next, run(0, '2026-12-01T13:00:00Z'), day);
    expect(ok).toEqual({
      note: { decision: 'recovered', since: '2026-12-01T00:00:00.000Z', failures: 2, mailed: true },
    });
    expect(decideIncident(undefined, run(0, '2026-12-01T13:00:00Z'), day)).toEqual({});
  });

  it('mails an incident none was mailed for yet (an attended first failure, a send that failed)', () => {
    const first = decideIncident(undefined, run(1, '2026-12-01T00:00:00Z'), day);
    expect(first).toEqual({
      note: { decision: 'mailed', since: '2026-12-01T00:00:00.000Z', failures: 1, mailed: false },
      next: {
        task: 't',
        exitCode: 1,
        fingerprint: 'f',
        summary: 's',
        since: '2026-12-01T00:00:00.000Z',
        lastFailure: '2026-12-01T00:00:00.000Z',
        failures: 1,
      },
    });
    const again = decideIncident(first.next, run(1, '2026-12-01T00:01:00Z'), day);
    expect(again).toEqual({
      note: { decision: 'mailed', since: '2026-12-01T00:00:00.000Z', failures: 2, mailed: false },
      next: { ...first.next, lastFailure: '2026-12-01T00:01:00.000Z', failures: 2 },
    });
    // It recovers without a mail sent: the recovery says so (no "recovered" mail follows).
    expect(decideIncident(again.next, run(0, '2026-12-01T00:02:00Z'), day)).toEqual({
      note: { decision: 'recovered', since: '2026-12-01T00:00:00.000Z', failures: 2, mailed: false },
    });
  });

  it('starts a new incident when the exit code changes, even with the same fingerprint', () => {
    const mailed = { ...decideIncident(undefined, run(1, '2026-12-01T00:00:00Z'), day).next!, mailedAt: 'x' };
    expect(decideIncident(mailed, run(5, '2026-12-01T00:05:00Z'), day)).toEqual({
      note: { decision: 'mailed', since: '2026-12-01T00:05:00.000Z', failures: 1, mailed: false },
      next: expect.objectContaining({ exitCode: 5, since: '2026-12-01T00:05:00.000Z', failures: 1 }),
    });
  });

  it('reminds once the interval has passed to the millisecond, and on every failure without one', () => {
    const mailed = {
      ...decideIncident(undefined, run(1, '2026-12-01T00:00:00Z'), day).next!,
      mailedAt: '2026-12-01T00:00:00.000Z',
    };
    const at = (iso: string, reminderMs: number) => decideIncident(mailed, run(1, iso), reminderMs).note;
    expect(at('2026-12-01T23:59:59.999Z', day)).toEqual({
      decision: 'suppressed',
      since: '2026-12-01T00:00:00.000Z',
      failures: 2,
      mailed: true,
    });
    expect(at('2026-12-02T00:00:00.000Z', day)?.decision).toBe('reminder');
    // reminderMs 0: no suppression at all, also when the clock stepped back behind the last mail
    expect(at('2026-12-01T00:00:01.000Z', 0)?.decision).toBe('reminder');
    expect(at('2026-11-30T23:59:00.000Z', 0)?.decision).toBe('reminder');
  });
});

describe('IncidentLog on disk', () => {
  const incident = (task: string, since: string): Incident => ({
    task,
    exitCode: 1,
    fingerprint: `1 FAILED ${task}`,
    summary: `${task}: broken`,
    since,
    lastFailure: since,
    failures: 1,
  });

  it('keeps one file per task, lists them oldest first, skips damaged ones, closes them', async () => {
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'photon-incidents-')), 'incidents');
    const log = new IncidentLog(dir);
    expect(await log.list()).toEqual([]);
    expect(await log.get('fastd-limit')).toBeUndefined();
    await log.put(incident('web-build', '2026-11-26T03:00:00.000Z'));
    await log.put(incident('fastd/limit', '2026-11-26T01:00:00.000Z'));
    await log.put(incident('alfred-zone', '2026-11-26T02:00:00.000Z'));
    await log.put(incident('same-time', '2026-11-26T02:00:00.000Z'));
    await log.put(incident('aa-late', '2026-11-26T04:00:00.000Z'));
    writeFileSync(path.join(dir, 'broken.json'), '{"task": ');
    // Only *.json files are incidents, even when another file holds one.
    writeFileSync(path.join(dir, 'notes.txt'), JSON.stringify(incident('notes', '2026-11-26T00:00:00.000Z')));
    mkdirSync(path.join(dir, 'sub.json'));
    expect((await log.list()).map((i) => [i.task, i.since.slice(11, 13)])).toEqual([
      ['fastd/limit', '01'],
      ['alfred-zone', '02'],
      ['same-time', '02'],
      ['web-build', '03'],
      ['aa-late', '04'],
    ]);
    expect(await log.get('fastd/limit')).toEqual(incident('fastd/limit', '2026-11-26T01:00:00.000Z'));
    expect(await log.get('broken')).toBeUndefined();
    await log.close('fastd/limit');
    await log.close('never-opened');
    expect(readdirSync(dir).sort()).toEqual([
      'aa-late.json',
      'alfred-zone.json',
      'broken.json',
      'notes.txt',
      'same-time.json',
      'sub.json',
      'web-build.json',
    ]);
  });
});
