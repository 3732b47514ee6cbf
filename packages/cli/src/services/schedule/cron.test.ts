import { describe, expect, it } from 'vitest';
import { CronSyntaxError, formatCron, formatOnCalendar, overlaps, parseCadence } from './cron.js';

describe('cron cadences', () => {
  it.each([
    ['every 5m', undefined, '*/5 * * * *', '*-*-* *:00,05,10,15,20,25,30,35,40,45,50,55:00'],
    ['every 2h', ':15', '15 */2 * * *', '*-*-* 00,02,04,06,08,10,12,14,16,18,20,22:15:00'],
    ['hourly', ':23', '23 * * * *', '*-*-* *:23:00'],
    ['daily', '3:00', '0 3 * * *', '*-*-* 03:00:00'],
    ['weekly', '19:42', '42 19 * * 0', 'Sun *-*-* 19:42:00'],
    ['23 5,23 * * *', undefined, '23 5,23 * * *', '*-*-* 05,23:23:00'],
    ['0 2 1-5 jan,jul *', undefined, '0 2 1-5 1,7 *', '*-01,07-01,02,03,04,05 02:00:00'],
    ['0 3 * * mon-wed,7', undefined, '0 3 * * 0-3', 'Sun,Mon,Tue,Wed *-*-* 03:00:00'],
  ])('%s (at %s) → %s', (cadence, at, cron, calendar) => {
    const { times } = parseCadence(cadence, at);
    expect(formatCron(times)).toBe(cron);
    expect(formatOnCalendar(times)).toBe(calendar);
  });

  it.each(['60 * * * *', '* * *', 'every 7m', '0 3 * * U U', 'often', '5-1 * * * *', '0 0 1 * 1'])(
    'rejects %s',
    (cadence) => {
      expect(() => parseCadence(cadence)).toThrow(CronSyntaxError);
    },
  );

  it('detects overlapping start minutes', () => {
    const a = parseCadence('every 15m').times;
    expect(overlaps(a, parseCadence('hourly', ':30').times)).toBe(true);
    expect(overlaps(a, parseCadence('hourly', ':31').times)).toBe(false);
    expect(overlaps({ ...a, weekday: [1] }, { ...a, weekday: [2] })).toBe(false);
  });
});
