import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { FileStore, Journal, type MailResult, RootSandbox } from '@ffphoton/core';
import { tempDir } from '@ffphoton/core/testing';
import { describe, expect, it } from 'vitest';
import { journalRecord } from '../test-helpers/journal-record.js';
import { AccountDigest, type DigestMailer } from './account-digest.js';
import { accountsSection } from './accounts-section.js';
import { HealthCollector } from './health-collector.js';
import { anchorId } from './html.js';

const accounts = (until: Record<string, string>, conf = '{warndays: 10, digestday: monday}') =>
  `accounts: {${Object.entries(until)
    .map(([name, date]) => `${name}: {login: l-${name}, provider: P, until: '${date}'}`)
    .join(', ')}}\nconf: ${conf}\n${'a' in until ? 'gateways: {gw1: a}\n' : ''}`;

function store(text?: string) {
  const root = tempDir('web-digest');
  if (text !== undefined) writeFileSync(path.join(root, 'exitvpn.yaml'), text);
  return new FileStore(new RootSandbox(root), { dryRun: false });
}

class RecordingMailer implements DigestMailer {
  readonly sent: Parameters<DigestMailer['send']>[0][] = [];
  async send(message: Parameters<DigestMailer['send']>[0]): Promise<MailResult> {
    this.sent.push(message);
    return { sent: true, recipients: message.to ?? [], subject: message.subject };
  }
}

const cfg = {
  file: '/exitvpn.yaml',
  to: [] as string[],
  cc: [] as string[],
  subject: 'Accounts',
  footer: undefined,
};
// Wednesday, 14 January 2026, noon local time (the digest day is Monday)
const wednesday = new Date(2026, 0, 14, 12);
const monday = new Date(2026, 0, 12, 12);

describe('AccountDigest', () => {
  it('mails on the digest day, on attention, when forced, and not otherwise', async () => {
    const good = store(accounts({ a: '01.06.2026' }));
    const cases: [Date, boolean, string, number][] = [
      [monday, false, 'digest-day', 1],
      [wednesday, false, 'none', 0],
      [wednesday, true, 'forced', 1],
    ];
    for (const [now, force, reason, mails] of cases) {
      const mailer = new RecordingMailer();
      const result = await new AccountDigest(good, mailer).run(cfg, 'gw1', now, force);
      expect([result.reason, mailer.sent.length, result.at], reason).toEqual([
        reason,
        mails,
        now.toISOString(),
      ]);
    }
    const mailer = new RecordingMailer();
    const overdue = store(accounts({ a: '01.06.2026', b: '01.01.2026', c: '20.01.2026' }));
    const result = await new AccountDigest(overdue, mailer).run(
      { ...cfg, to: ['ops@example.org'], cc: ['boss@example.org'], footer: 'Fix it.' },
      'gw1',
      wednesday,
      false,
    );
    expect(result.reason).toBe('attention');
    expect(mailer.sent).toEqual([
      {
        to: ['ops@example.org'],
        cc: ['boss@example.org'],
        subject: 'Accounts (gw1): 1 overdue, 1 warning, 0 invalid',
        text: [
          'Accounts need attention (gw1).',
          '',
          'OVERDUE:',
          '  - b: P / l-b, until 01.01.2026 (13 day(s) overdue); used by no gateway',
          '',
          'WARNING (expires soon):',
          '  - c: P / l-c, until 20.01.2026 (5 day(s) left); used by no gateway',
          '',
          'good:',
          '  - a: P / l-a, until 01.06.2026 (137 day(s) left); used by gw1',
          '',
          'Fix it.',
        ].join('\n'),
      },
    ]);
    const quiet = new RecordingMailer();
    await new AccountDigest(good, quiet).run(cfg, 'gw1', monday, false);
    expect(quiet.sent).toEqual([
      {
        to: undefined,
        cc: undefined,
        subject: 'Accounts (gw1): 0 overdue, 0 warning, 0 invalid',
        text: 'Weekly account digest (gw1): nothing expires soon.\n\ngood:\n  - a: P / l-a, until 01.06.2026 (139 day(s) left); used by gw1\n',
      },
    ]);
  });

  it('fails on a missing accounts file, naming it', async () => {
    await expect(
      new AccountDigest(store(), new RecordingMailer()).run(cfg, 'gw1', monday, false),
    ).rejects.toThrow('/exitvpn.yaml: the accounts file does not exist');
  });
});

describe('accountsSection', () => {
  const base = { plugin: '@ffphoton/plugin-web', id: 'accounts', title: 'Accounts' };

  it('is failed with overdue or bad entries, warning when one expires soon, else ok', async () => {
    const section = await accountsSection(
      store(accounts({ a: '01.06.2026', b: '01.01.2026', c: '20.01.2026', d: 'soon' })),
      '/exitvpn.yaml',
      wednesday,
    );
    expect(section).toEqual({
      ...base,
      state: 'failed',
      summary: '1 overdue, 1 expiring soon, 1 good, 1 bad entries',
      rows: [
        { label: 'b', value: 'until 01.01.2026, 13 day(s) overdue', state: 'failed' },
        { label: 'd', value: 'until "soon" is not a date in the format %d.%m.%Y', state: 'failed' },
        { label: 'c', value: 'until 20.01.2026, 5 day(s) left', state: 'warning' },
        { label: 'a', value: 'until 01.06.2026, 137 day(s) left', state: 'ok' },
      ],
    });
    const states = await Promise.all(
      ([{ a: 'x' }, { c: '20.01.2026' }, { a: '01.06.2026' }] as Record<string, string>[]).map(
        async (until) => (await accountsSection(store(accounts(until)), '/exitvpn.yaml', wednesday)).state,
      ),
    );
    expect(states).toEqual(['failed', 'warning', 'ok']);
  });

  it('is unavailable, with the reason, when the file cannot be read', async () => {
    expect(await accountsSection(store(), '/exitvpn.yaml', wednesday)).toEqual({
      ...base,
      state: 'unavailable',
      summary: 'unavailable: /exitvpn.yaml: the accounts file does not exist',
      rows: [],
    });
  });
});

describe('HealthCollector', () => {
  it('lists the last run of every task, failures first, then by name, with the plugin sections', async () => {
    const journal = new Journal(tempDir('web-journal'), 5);
    const records = [
      journalRecord('b-ok', 'ok', '2026-01-01T10:00:00.000Z'),
      journalRecord('a-ok', 'ok', '2026-01-01T09:00:00.000Z'),
      journalRecord('z-failed', 'failed', '2026-01-01T08:00:00.000Z'),
      journalRecord('m-partial', 'partial', '2026-01-01T07:00:00.000Z'),
      journalRecord('c-locked', 'locked', '2026-01-01T06:00:00.000Z'),
      journalRecord('d-interrupted', 'interrupted', '2026-01-01T05:00:00.000Z'),
    ];
    for (const record of records) await journal.write(record);
    const own = [{ plugin: 'p', id: 'own', title: 'Own', state: 'ok' as const, summary: '', rows: [] }];
    const report = await new HealthCollector(journal, async () => ({
      successes: [
        { plugin: { name: 'x' }, result: { id: 'x', title: 'A first', state: 'ok', summary: 's' } },
      ],
      failures: [],
    })).collect(own);
    expect(report.tasks.map((t) => [t.task, t.state])).toEqual([
      ['z-failed', 'failed'],
      ['c-locked', 'warning'],
      ['d-interrupted', 'warning'],
      ['m-partial', 'warning'],
      ['a-ok', 'ok'],
      ['b-ok', 'ok'],
    ]);
    const { state: _, ...first } = report.tasks[0];
    const { task, start, durationMs, outcome, exitCode, summary } = records[2];
    expect(first).toEqual({ task, start, durationMs, outcome, exitCode, summary });
    expect(report.sections.map((s) => [s.plugin, s.id, s.title])).toEqual([
      ['x', 'x', 'A first'],
      ['p', 'own', 'Own'],
    ]);
  });
});

describe('anchorId', () => {
  it('keeps letters, digits, _ and -, and encodes everything else', () => {
    expect(anchorId('if', 'bat0_x-Y9')).toBe('if-bat0_x-Y9');
    expect(anchorId('task', 'a b/c.ä')).toBe('task-a_20b_2fc_2e_e4');
  });
});
