import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { STALE_TEMP_MS, sweepStaleTemps, writeTextAtomic } from '../fs/run-temps.js';
import { byCodeUnit } from '../text/compare.js';
import { safeTaskName } from './journal.js';

/** A task failing the same way since `since`: one mail for it, not one per run. */
export interface Incident {
  task: string;
  exitCode: number;
  /** The error with volatile parts (numbers, timestamps, pids, hex ids) normalized. */
  fingerprint: string;
  /** The first failed run's summary. */
  summary: string;
  since: string;
  lastFailure: string;
  failures: number;
  /** When the last failure mail of this incident went out; unset until one did. */
  mailedAt?: string;
}

/**
 * What a run means for its task's failure mail:
 * - `mailed`: a new incident (first failure, or a different error), or none was mailed yet;
 * - `suppressed`: the same failure again within the reminder interval;
 * - `reminder`: the same failure, and the interval since the last mail has passed;
 * - `recovered`: the first success after an incident.
 */
export type MailDecision = 'mailed' | 'suppressed' | 'reminder' | 'recovered';

/** The decision of one run, as recorded in its journal record. */
export interface IncidentNote {
  decision: MailDecision;
  since: string;
  failures: number;
  /** Whether a failure mail went out during the incident (a recovery note only follows one). */
  mailed: boolean;
}

/** Normalizes what changes between runs of the same failure: timestamps, pids, counts, ids. */
export function errorFingerprint(exitCode: number, code: string, message: string): string {
  const stable = message
    .replace(/\d{4}-\d\d-\d\d[T ][\d:.]+(Z|[+-]\d\d:?\d\d)?/g, '<time>')
    .replace(/\b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*\d)[0-9a-f]{6,}\b/gi, '<hex>')
    .replace(/\d+(\.\d+)?/g, '<n>');
  return `${exitCode} ${code} ${stable}`;
}

/**
 * Decides about the mail of a finished run given the task's open incident, and returns the
 * incident to keep (undefined: none open).
 */
export function decideIncident(
  open: Incident | undefined,
  run: { task: string; exitCode: number; fingerprint: string; summary: string; at: Date },
  reminderMs: number,
): { note?: IncidentNote; next?: Incident } {
  const at = run.at.toISOString();
  if (run.exitCode === 0) {
    if (!open) return {};
    return {
      note: {
        decision: 'recovered',
        since: open.since,
        failures: open.failures,
        mailed: open.mailedAt !== undefined,
      },
    };
  }
  if (!open || open.fingerprint !== run.fingerprint || open.exitCode !== run.exitCode) {
    const next: Incident = {
      task: run.task,
      exitCode: run.exitCode,
      fingerprint: run.fingerprint,
      summary: run.summary,
      since: at,
      lastFailure: at,
      failures: 1,
    };
    return { note: { decision: 'mailed', since: at, failures: 1, mailed: false }, next };
  }
  const next: Incident = { ...open, lastFailure: at, failures: open.failures + 1 };
  const decision: MailDecision =
    open.mailedAt === undefined
      ? 'mailed'
      : reminderMs > 0 && run.at.getTime() - Date.parse(open.mailedAt) < reminderMs
        ? 'suppressed'
        : 'reminder';
  return {
    note: { decision, since: open.since, failures: next.failures, mailed: open.mailedAt !== undefined },
    next,
  };
}

/** The open incident of each task, one JSON file per task under `<dataDir>/incidents`. */
export class IncidentLog {
  constructor(
    /** Host path of `<dataDir>/incidents`. */
    readonly dir: string,
  ) {}

  async get(task: string): Promise<Incident | undefined> {
    try {
      return JSON.parse(await fsp.readFile(this.file(task), 'utf8')) as Incident;
    } catch {
      // none, or damaged: a damaged one starts a new incident (one mail too many, never none)
      return undefined;
    }
  }

  async put(incident: Incident): Promise<void> {
    await fsp.mkdir(this.dir, { recursive: true });
    await sweepStaleTemps(this.dir, STALE_TEMP_MS);
    await writeTextAtomic(this.file(incident.task), `${JSON.stringify(incident, null, 2)}\n`);
  }

  async close(task: string): Promise<void> {
    await fsp.rm(this.file(task), { force: true });
  }

  /** Every open incident, oldest first (by task name when two began at once). */
  async list(): Promise<Incident[]> {
    const names = await fsp.readdir(this.dir).catch(() => [] as string[]);
    const incidents: Incident[] = [];
    for (const name of names.filter((n) => n.endsWith('.json'))) {
      try {
        incidents.push(JSON.parse(await fsp.readFile(path.join(this.dir, name), 'utf8')) as Incident);
      } catch {
        // a damaged file is skipped here; the task's next run replaces it
      }
    }
    return incidents.sort((a, b) => byCodeUnit(a.since, b.since) || byCodeUnit(a.task, b.task));
  }

  private file(task: string): string {
    return path.join(this.dir, `${safeTaskName(task)}.json`);
  }
}
