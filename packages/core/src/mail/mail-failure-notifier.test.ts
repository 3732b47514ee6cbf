import { describe, expect, it } from 'vitest';
import type { FailureReport } from '../task/failure-notifier.js';
import { failureMailBody } from './mail-failure-notifier.js';

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
