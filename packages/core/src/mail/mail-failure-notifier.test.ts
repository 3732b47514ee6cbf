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
});
