import { Shell } from '@ffphoton/core';
import { describe, expect, it } from 'vitest';
import { VnstatReader } from './vnstat-reader.js';

const shell = new Shell({ dryRun: false, defaultTimeoutMs: 10_000 });
const limits = { hours: 2, days: 2, months: 1, topDays: 2 };
const read = (argv: string[]) => new VnstatReader(shell, argv, 10_000).read(['eth0'], limits);
const notes = async (argv: string[]) => (await read(argv)).notes;

describe('VnstatReader when vnstat does not deliver', () => {
  it('names the command, why it failed and the first lines of its output', async () => {
    expect(
      await notes([
        'sh',
        '-c',
        'echo "Error: database" ; echo "line 2"; echo "line 3"; echo "line 4"; exit 1',
      ]),
    ).toEqual([
      'sh -c echo "Error: database" ; echo "line 2"; echo "line 3"; echo "line 4"; exit 1 failed (exit 1): Error: database line 2 line 3',
    ]);
    expect(await notes(['sh', '-c', 'echo out; echo "  err  " >&2; exit 2'])).toEqual([
      'sh -c echo out; echo "  err  " >&2; exit 2 failed (exit 2): err',
    ]);
    expect(await notes(['sh', '-c', 'exit 4'])).toEqual(['sh -c exit 4 failed (exit 4)']);
    expect(await notes(['sh', '-c', 'kill -KILL $$'])).toEqual(['sh -c kill -KILL $$ failed (exit SIGKILL)']);
    expect((await notes(['/nonexistent/vnstat', '--json']))[0]).toMatch(
      /^\/nonexistent\/vnstat --json could not be started \(is vnstat installed\?\): .*ENOENT/,
    );
    const long = await notes(['sh', '-c', `printf '%0400d' 0; exit 1`]);
    expect(long).toEqual([`sh -c printf '%0400d' 0; exit 1 failed (exit 1): ${'0'.repeat(300)}`]);
  });

  it('refuses output that is not vnstat 2 JSON', async () => {
    const refused = [
      'not json',
      '{"jsonversion":"2"}',
      '{"interfaces":[]}',
      '{"jsonversion":"2","interfaces":[{"name":"eth0","traffic":{"total":{"rx":-1,"tx":0}}}]}',
    ];
    for (const out of refused) {
      expect(await read(['printf', '%s', out]), out).toEqual({
        interfaces: [],
        notes: [`printf %s ${out} printed no vnstat 2 JSON; traffic cannot be shown.`],
      });
    }
  });

  it('takes the newest entries, labels them and ranks the top days by rx + tx', async () => {
    const entry = (day: number, hour: number, rx: number, tx: number) => ({
      date: { year: 2026, month: 1, day },
      time: { hour, minute: 0 },
      rx,
      tx,
    });
    const json = JSON.stringify({
      jsonversion: '2',
      interfaces: [
        {
          name: 'eth0',
          traffic: {
            total: { rx: 10, tx: 20 },
            hour: [entry(1, 1, 1, 1), entry(1, 2, 2, 2), entry(1, 3, 3, 3)],
            day: [entry(1, 0, 5, 0), entry(2, 0, 1, 1), entry(3, 0, 0, 9)],
            month: [
              { date: { year: 2025, month: 12 }, rx: 7, tx: 7 },
              { date: { year: 2026, month: 1 }, rx: 8, tx: 8 },
            ],
            top: [entry(1, 0, 5, 0), { date: { year: 2026, month: 1 }, rx: 1, tx: 1 }, entry(3, 0, 0, 9)],
          },
        },
      ],
    });
    expect(await read(['printf', '%s', json])).toEqual({
      interfaces: [
        {
          name: 'eth0',
          total: { rx: 10, tx: 20 },
          hours: [
            { label: '02h', rx: 2, tx: 2 },
            { label: '03h', rx: 3, tx: 3 },
          ],
          days: [
            { label: '01-02', rx: 1, tx: 1 },
            { label: '01-03', rx: 0, tx: 9 },
          ],
          months: [{ label: '2026-01', rx: 8, tx: 8 }],
          top: [
            { label: '2026-01-03', rx: 0, tx: 9 },
            { label: '2026-01-01', rx: 5, tx: 0 },
          ],
        },
      ],
      notes: [],
    });
  });
});
