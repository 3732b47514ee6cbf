import type { CommandResult } from '../errors/errors.js';

export interface FileChange {
  path: string;
  action: 'create' | 'update' | 'delete';
  dryRun: boolean;
}

export interface ServiceAction {
  unit: string;
  action: string;
  dryRun: boolean;
}

export interface MailRecord {
  to: string[];
  subject: string;
  ok: boolean;
  error?: string;
}

/** Where core primitives report the side effects of a run (the journal implements it). */
export interface ChangeRecorder {
  recordFile(change: FileChange): void;
  recordCommand(result: CommandResult): void;
  recordService(action: ServiceAction): void;
  recordMail(mail: MailRecord): void;
}

/** Collects changes in memory; the journal persists them at the end of the run. */
export class RunChanges implements ChangeRecorder {
  readonly files: FileChange[] = [];
  readonly commands: Pick<CommandResult, 'argv' | 'exitCode' | 'durationMs' | 'skipped' | 'timedOut'>[] = [];
  readonly services: ServiceAction[] = [];
  readonly mails: MailRecord[] = [];

  recordFile(change: FileChange): void {
    this.files.push(change);
  }
  recordCommand(result: CommandResult): void {
    const { argv, exitCode, durationMs, skipped, timedOut } = result;
    this.commands.push({ argv, exitCode, durationMs, skipped, timedOut });
  }
  recordService(action: ServiceAction): void {
    this.services.push(action);
  }
  recordMail(mail: MailRecord): void {
    this.mails.push(mail);
  }
}
