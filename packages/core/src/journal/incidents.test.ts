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
    const open = decideIncident(undefined, run(1, '2026-12-01T00:00:00Z'), day).next;
    expect(decideIncident(open, run(1, '2026-12-01T00:01:00Z'), day).note?.decision).toBe('mailed');
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
    writeFileSync(path.join(dir, 'broken.json'), '{"task": ');
    writeFileSync(path.join(dir, 'notes.txt'), 'not an incident');
    mkdirSync(path.join(dir, 'sub.json'));
    expect((await log.list()).map((i) => [i.task, i.since.slice(11, 13)])).toEqual([
      ['fastd/limit', '01'],
      ['alfred-zone', '02'],
      ['same-time', '02'],
      ['web-build', '03'],
    ]);
    expect(await log.get('fastd/limit')).toEqual(incident('fastd/limit', '2026-11-26T01:00:00.000Z'));
    expect(await log.get('broken')).toBeUndefined();
    await log.close('fastd/limit');
    await log.close('never-opened');
    expect(readdirSync(dir).sort()).toEqual([
      'alfred-zone.json',
      'broken.json',
      'notes.txt',
      'same-time.json',
      'sub.json',
      'web-build.json',
    ]);
  });
});
