import { PartialFailureError, UnavailableError } from '@ffphoton/core';
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

  async collect(instances: FastdInstance[]): Promise<StatusReportResult> {
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
        result.failed.push({
          instance: name,
          socket: statusSocket,
          error: (outcome.reason as Error).message,
        });
      }
    });
    if (result.failed.length === 0) return result;
    const problems = result.failed.map((f) => `${f.instance}: ${f.error}`);
    if (result.instances.length === 0) {
      if (outcomes.length === 1) throw (outcomes[0] as PromiseRejectedResult).reason;
      throw new UnavailableError(`no fastd status could be read: ${problems.join('; ')}`);
    }
    throw new PartialFailureError(
      `${result.failed.length} fastd status socket(s) unreadable`,
      problems,
      result,
    );
  }
}
