import type { CommandResult } from '../errors/errors.js';
import type { IncidentNote } from '../journal/incidents.js';
import type { RunRecord } from '../journal/journal.js';

/** What a failed (or, with `mail.on: always`, any) run reports to the admins. */
export interface FailureReport {
  task: string;
  host: string;
  exitCode: number;
  summary: string;
  /** The last log lines of the run, already redacted. */
  recentLogLines: string[];
  /** Output of the command that failed, when a command failed. */
  failedCommand?: CommandResult;
  record: RunRecord;
  /** Where the run stands in its task's incident (see decideIncident). */
  incident?: IncidentNote;
  /** Started at a terminal (stdin and stderr are ttys): someone watches it. */
  attended: boolean;
}

export interface NotifyResult {
  sent: boolean;
  to: string[];
  subject: string;
  error?: string;
}

export interface FailureNotifier {
  /** Must never throw: a mail that cannot be sent is reported in the result. */
  notify(report: FailureReport): Promise<NotifyResult | undefined>;
}
