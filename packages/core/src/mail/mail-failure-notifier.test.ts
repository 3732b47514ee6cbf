import { describe, expect, it } from 'vitest';
import type { IncidentNote } from '../journal/incidents.js';
import type { FailureReport } from '../task/failure-notifier.js';
import { failureMailBody, MailFailureNotifier } from './mail-failure-notifier.js';
import { mailSettings } from './mail-settings.js';
import type { Mailer, MailMessage, MailResult } from './mailer.js';

const report: FailureReport = {
  task: 'fastd-limit',
  host: 'kaschu',
  exitCode: 1,
  summary: 'fastd-limit: no gateway online',
  recentLogLines: ['WARN  one', 'WARN  two', 'ERROR three'],
  attended: false,
  record: {
    start: '2026-11-27T03:00:00.000Z',
    durationMs: 12,
    argv: ['fastd', 'limit'],
  } as FailureReport['record'],
};

describe('failureMailBody', () => {
  it('quotes the last mail.logLines log lines, and none for 0', () => {
    expect(failureMailBody(report, 2)).toContain('Last 2 log lines:\nWARN  two\nERROR three\n');
    expect(failureMailBody(report, 0)).not.toContain('log lines');
    expect(failureMailBody(report, 0)).not.toContain('WARN');
  });

  it('writes the whole body: incident, run, log lines, and the failed command with the tail of its output', () => {
    const stdout = Array.from({ length: 70 }, (_, i) => `out ${i + 1}`).join('\n');
    const body = failureMailBody(
      {
        ...report,
        incident: { decision: 'reminder', since: '2026-11-26T03:00:00.000Z', failures: 4, mailed: true },
        failedCommand: {
          argv: ['fastd', '--verify-config', '--config', '/etc/fastd/mz/fastd.conf'],
          stdout: `${stdout}\n\n`,
          stderr: 'password=hunter22 rejected\n',
          exitCode: undefined,
          signal: 'SIGKILL',
          durationMs: 5000,
          timedOut: true,
          failed: true,
          skipped: false,
        },
      },
      40,
    );
    expect(body).toBe(
      [
        'fastd-limit: no gateway online',
        '',
        'failing since 2026-11-26T03:00:00.000Z: 4 failed runs',
        '',
        'host:     kaschu',
        'task:     fastd-limit',
        'exit:     1',
        'started:  2026-11-27T03:00:00.000Z',
        'duration: 12 ms',
        'argv:     fastd limit',
        '',
        'Last 3 log lines:',
        'WARN  one',
        'WARN  two',
        'ERROR three',
        '',
        'Failed command: fastd --verify-config --config /etc/fastd/mz/fastd.conf',
        'exit code -, signal SIGKILL, timed out',
        '--- stdout ---',
        ...Array.from({ length: 60 }, (_, i) => `out ${i + 11}`),
        '--- stderr ---',
        'password=*** rejected',
        '',
      ].join('\n'),
    );
    const first = failureMailBody(
      {
        ...report,
        recentLogLines: [],
        incident: { decision: 'mailed', since: '2026-11-27T03:00:00.000Z', failures: 1, mailed: false },
        failedCommand: {
          ...(report.failedCommand ?? {}),
          argv: ['false'],
          stdout: '',
          stderr: '',
          exitCode: 1,
          signal: undefined,
          durationMs: 1,
          timedOut: false,
          failed: true,
          skipped: false,
        },
      },
      40,
    );
    expect(first).toBe(
      [
        'fastd-limit: no gateway online',
        '',
        'host:     kaschu',
        'task:     fastd-limit',
        'exit:     1',
        'started:  2026-11-27T03:00:00.000Z',
        'duration: 12 ms',
        'argv:     fastd limit',
        '',
        'Failed command: false',
        'exit code 1',
        '--- stdout ---',
        '',
        '--- stderr ---',
        '',
        '',
      ].join('\n'),
    );
  });
});

describe('MailFailureNotifier: which runs mail, with what subject', () => {
  /** The notifier over a mailer that keeps what it is asked to send (a dry-run one skips). */
  function notifier(settings: Record<string, unknown>, skipped = false) {
    const sent: MailMessage[] = [];
    const mailer = {
      send: async (message: MailMessage): Promise<MailResult> => {
        sent.push(message);
        return { sent: !skipped, recipients: ['noc@example.org'], subject: message.subject, skipped };
      },
    } as unknown as Mailer;
    return {
      sent,
      notify: new MailFailureNotifier(
        mailSettings.schema.parse({ to: 'noc@example.org', ...settings }),
        mailer,
      ),
    };
  }
  const note = (decision: IncidentNote['decision'], mailed = true): IncidentNote => ({
    decision,
    since: '2026-11-26T03:00:00.000Z',
    failures: 3,
    mailed,
  });

  it('mails a failure without an incident (no journal), and skips a repeat unless mail.on is always', async () => {
    const plain = notifier({});
    expect(await plain.notify.notify(report)).toEqual({
      sent: true,
      to: ['noc@example.org'],
      subject: '[photon] kaschu fastd-limit failed (exit 1)',
      error: undefined,
    });
    expect(await plain.notify.notify({ ...report, incident: note('suppressed') })).toBeUndefined();
    expect(plain.sent.map((m) => m.subject)).toEqual(['[photon] kaschu fastd-limit failed (exit 1)']);
    const always = notifier({ on: 'always' });
    await always.notify.notify({ ...report, incident: note('suppressed') });
    await always.notify.notify({ ...report, incident: note('reminder') });
    await always.notify.notify({ ...report, exitCode: 0, summary: 'fastd-limit: ok' });
    expect(always.sent.map((m) => m.subject)).toEqual([
      '[photon] kaschu fastd-limit failed (exit 1)',
      '[photon] kaschu fastd-limit still failing (exit 1) since 2026-11-26T03:00:00.000Z',
      '[photon] kaschu fastd-limit ok',
    ]);
  });

  it('a recovery mails a short note only after a failure mail went out', async () => {
    const { sent, notify } = notifier({});
    const ok = { ...report, exitCode: 0, summary: 'fastd-limit: 2 instances checked' };
    expect(await notify.notify({ ...ok, incident: note('recovered', false) })).toBeUndefined();
    expect(await notify.notify({ ...ok, incident: note('recovered') })).toMatchObject({
      subject: '[photon] kaschu fastd-limit recovered',
    });
    expect(sent).toEqual([
      {
        subject: '[photon] kaschu fastd-limit recovered',
        text:
          'fastd-limit: 2 instances checked\n\n' +
          'fastd-limit on kaschu works again: it failed 3 time(s) since 2026-11-26T03:00:00.000Z.\n',
      },
    ]);
  });

  it('a mail the mailer skipped (dry run) is no notification', async () => {
    const { sent, notify } = notifier({}, true);
    expect(await notify.notify(report)).toBeUndefined();
    expect(sent).toHaveLength(1);
  });
});
