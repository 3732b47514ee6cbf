import { redactText } from '../log/redact.js';
import type { FailureNotifier, FailureReport, NotifyResult } from '../task/failure-notifier.js';
import type { MailSettings } from './mail-settings.js';
import type { Mailer } from './mailer.js';

const OUTPUT_LINES = 60;

/**
 * Mails the admins when a task fails (or after every run with `mail.on: always`). The body
 * holds the summary, the last log lines and the failing command's output — all redacted;
 * settings are never attached.
 */
export class MailFailureNotifier implements FailureNotifier {
  constructor(
    private readonly settings: MailSettings,
    private readonly mailer: Mailer,
  ) {}

  async notify(report: FailureReport): Promise<NotifyResult | undefined> {
    const failed = report.exitCode !== 0;
    if (this.settings.on === 'never' || (!failed && this.settings.on !== 'always')) return undefined;
    const subject = failed
      ? `[photon] ${report.host} ${report.task} failed (exit ${report.exitCode})`
      : `[photon] ${report.host} ${report.task} ok`;
    const result = await this.mailer.send({ subject, text: failureMailBody(report, this.settings.logLines) });
    if (result.skipped) return undefined;
    return { sent: result.sent, to: result.recipients, subject, error: result.error };
  }
}

export function failureMailBody(report: FailureReport, logLines: number): string {
  const { record } = report;
  const lines = [
    report.summary,
    '',
    `host:     ${report.host}`,
    `task:     ${report.task}`,
    `exit:     ${report.exitCode}`,
    `started:  ${record.start}`,
    `duration: ${record.durationMs} ms`,
    `argv:     ${record.argv.join(' ')}`,
  ];
  const recent = logLines === 0 ? [] : report.recentLogLines.slice(-logLines);
  if (recent.length > 0) lines.push('', `Last ${recent.length} log lines:`, ...recent);
  const command = report.failedCommand;
  if (command) {
    lines.push(
      '',
      `Failed command: ${command.argv.join(' ')}`,
      `exit code ${command.exitCode ?? '-'}${command.signal ? `, signal ${command.signal}` : ''}${command.timedOut ? ', timed out' : ''}`,
      '--- stdout ---',
      tail(command.stdout),
      '--- stderr ---',
      tail(command.stderr),
    );
  }
  return redactText(`${lines.join('\n')}\n`);
}

function tail(text: string): string {
  return text.trimEnd().split('\n').slice(-OUTPUT_LINES).join('\n');
}
