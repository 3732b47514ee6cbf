import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { STALE_TEMP_MS, sweepStaleTemps, writeTextAtomic } from '../fs/run-temps.js';
import { byCodeUnit } from '../text/compare.js';
import type { RunChanges } from './change-recorder.js';
import type { IncidentNote } from './incidents.js';

export type RunOutcome = 'ok' | 'failed' | 'locked' | 'partial' | 'interrupted';

/** One run of one task, as stored under `<dataDir>/runs/<task>/`. */
export interface RunRecord {
  task: string;
  runId: string;
  argv: string[];
  host: string;
  dryRun: boolean;
  start: string;
  end: string;
  durationMs: number;
  outcome: RunOutcome;
  exitCode: number;
  summary: string;
  error?: { code: string; message: string; problems?: string[] };
  commands: RunChanges['commands'];
  files: RunChanges['files'];
  services: RunChanges['services'];
  mails: RunChanges['mails'];
  /** The run's place in its task's incident and what that meant for the failure mail. */
  incident?: IncidentNote;
}

/**
 * Photon's meta file, done right: one JSON document per run, written atomically once at
 * the end (also on failure), the last `keep` runs kept per task.
 */
export class Journal {
  constructor(
    /** Host path of `<dataDir>/runs`. */
    readonly dir: string,
    private readonly keep: number,
  ) {}

  async write(record: RunRecord): Promise<string> {
    const taskDir = path.join(this.dir, safeTaskName(record.task));
    await fsp.mkdir(taskDir, { recursive: true });
    const name = `${record.start.replace(/[:.]/g, '-')}-${record.runId}.json`;
    const file = path.join(taskDir, name);
    await sweepStaleTemps(taskDir, STALE_TEMP_MS);
    await writeTextAtomic(file, `${JSON.stringify(record, null, 2)}\n`);
    await this.prune(taskDir);
    return file;
  }

  private async prune(taskDir: string): Promise<void> {
    const names = await fsp.readdir(taskDir);
    // Temps of the previous implementation (`<record>.json.tmp`, left after ENOSPC).
    for (const legacy of names.filter((f) => f.endsWith('.json.tmp')))
      await fsp.rm(path.join(taskDir, legacy), { force: true });
    const files = names.filter((f) => f.endsWith('.json')).sort();
    for (const old of files.slice(0, Math.max(0, files.length - this.keep))) {
      await fsp.rm(path.join(taskDir, old), { force: true });
    }
  }

  /** Runs of one task (or all tasks), newest first. */
  async history(task?: string, limit = 20): Promise<RunRecord[]> {
    const tasks = task ? [safeTaskName(task)] : await fsp.readdir(this.dir).catch(() => [] as string[]);
    const perTask = await Promise.all(tasks.map((t) => this.newest(path.join(this.dir, t), limit)));
    return perTask.flat().sort(newestFirst).slice(0, limit);
  }

  /** The newest run of every task. */
  async latestPerTask(): Promise<RunRecord[]> {
    const tasks = await fsp.readdir(this.dir).catch(() => [] as string[]);
    const latest = await Promise.all(tasks.map((t) => this.newest(path.join(this.dir, t), 1)));
    return latest.flat().sort(newestFirst);
  }

  /**
   * Up to `limit` records of one task directory, newest first. File names start with the run's
   * start time (as `prune` relies on), so only the records asked for are read and parsed.
   */
  private async newest(taskDir: string, limit: number): Promise<RunRecord[]> {
    const names = (await fsp.readdir(taskDir).catch(() => [] as string[]))
      .filter((name) => name.endsWith('.json'))
      .sort()
      .reverse();
    const records: RunRecord[] = [];
    for (const name of names) {
      if (records.length >= limit) break;
      try {
        records.push(JSON.parse(await fsp.readFile(path.join(taskDir, name), 'utf8')) as RunRecord);
      } catch {
        // a damaged record is skipped, never fatal for history
      }
    }
    return records;
  }
}

const newestFirst = (a: RunRecord, b: RunRecord) => byCodeUnit(b.start, a.start);

/** A task name as a file-name component (journal directory, lock file). */
export function safeTaskName(task: string): string {
  return task.replace(/[^A-Za-z0-9_.-]/g, '-');
}
