import type { IncidentNote } from '../journal/incidents.js';
import { redactText } from '../log/redact.js';
import type { FailureNotifier, FailureReport, NotifyResult } from '../task/failure-notifier.js';
import type { MailSettings } from './mail-settings.js';
import type { Mailer } from './mailer.js';

const OUTPUT_LINES = 60;

/**
 * Mails the admins when a task fails (or after every run with `mail.on: always`): once per
 * incident (the same failure again only as a reminder after `reminderHours`), and a short note
 * when the task recovers. Runs at a terminal mail only with `attended: true`. The body holds the
 * summary, the last log lines and the failing command's output — all redacted; settings are
 * never attached.
 */
export class MailFailureNotifier implements FailureNotifier {
  constructor(
    private readonly settings: MailSettings,
    private readonly mailer: Mailer,
  ) {}

  async notify(report: FailureReport): Promise<NotifyResult | undefined> {
    const on = this.settings.tasks[report.task] ?? this.settings.on;
    if (on === 'never' || (report.attended && !this.settings.attended)) return undefined;
    const failed = report.exitCode !== 0;
    const { incident } = report;
    const recovered = !failed && incident?.decision === 'recovered' && incident.mailed;
    if (failed && on === 'failure' && incident?.decision === 'suppressed') return undefined;
    if (!failed && !recovered && on !== 'always') return undefined;
    const prefix = `[photon] ${report.host} ${report.task}`;
    const subject = recovered
      ? `${prefix} recovered`
      : !failed
        ? `${prefix} ok`
        : incident?.decision === 'reminder'
          ? `${prefix} still failing (exit ${report.exitCode}) since ${incident.since}`
          : `${prefix} failed (exit ${report.exitCode})`;
    const text = recovered
      ? recoveredMailBody(report, incident)
      : failureMailBody(report, this.settings.logLines);
    const result = await this.mailer.send({ subject, text });
    if (result.skipped) return undefined;
    return { sent: result.sent, to: result.recipients, subject, error: result.error };
  }
}

function recoveredMailBody(report: FailureReport, incident: IncidentNote): string {
  return redactText(
    `${report.summary}\n\n${report.task} on ${report.host} works again: it failed ${incident.failures} time(s) since ${incident.since}.\n`,
  );
}

export function failureMailBody(report: FailureReport, logLines: number): string {
  const { record } = report;
  const lines = [
    report.summary,
    '',
    ...(report.incident && report.incident.failures > 1
      ? [`failing since ${report.incident.since}: ${report.incident.failures} failed runs`, '']
      : []),
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
