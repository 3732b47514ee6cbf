import { partial, type TaskOutcome, UnavailableError } from '@ffphoton/core';
import type { FastdInstance } from '../settings.js';
import { type FastdStatus, type StatusSummary, summarizeStatus } from './fastd-status.js';
import type { StatusSocketReader } from './status-socket-reader.js';

export interface InstanceStatus extends StatusSummary {
  instance: string;
  socket: string;
  status: FastdStatus;
}

export interface StatusReportResult {
  instances: InstanceStatus[];
  failed: { instance: string; socket: string; error: string }[];
}

/** `fastd status`: every selected instance's socket, read in parallel. */
export class StatusReport {
  constructor(private readonly reader: StatusSocketReader) {}

  /** Every instance's status or its error; partial when a socket failed (exit 5), throws when all did (69/1). */
  async collect(instances: FastdInstance[]): Promise<TaskOutcome<StatusReportResult>> {
    const { result, reasons } = await this.read(instances);
    if (result.failed.length === 0) return result;
    const problems = result.failed.map((f) => `${f.instance}: ${f.error}`);
    if (result.instances.length === 0) {
      if (reasons.length === 1) throw reasons[0];
      throw new UnavailableError(`no fastd status could be read: ${problems.join('; ')}`);
    }
    return partial(result, problems, `${result.failed.length} fastd status socket(s) unreadable`);
  }

  /** Every instance's status or its error, never throwing (the status page shows both). */
  async read(instances: FastdInstance[]): Promise<{ result: StatusReportResult; reasons: unknown[] }> {
    const reasons: unknown[] = [];
    const outcomes = await Promise.allSettled(
      instances.map((instance) => this.reader.read(instance.statusSocket)),
    );
    const result: StatusReportResult = { instances: [], failed: [] };
    outcomes.forEach((outcome, i) => {
      const { name, statusSocket } = instances[i];
      if (outcome.status === 'fulfilled') {
        result.instances.push({
          instance: name,
          socket: statusSocket,
          ...summarizeStatus(outcome.value),
          status: outcome.value,
        });
      } else {
        reasons.push(outcome.reason);
        result.failed.push({
          instance: name,
          socket: statusSocket,
          error: (outcome.reason as Error).message,
        });
      }
    });
    return { result, reasons };
  }
}
