import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { RunChanges } from './change-recorder.js';

export type RunOutcome = 'ok' | 'failed' | 'locked' | 'partial';

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
  error?: { code: string; message: string };
  commands: RunChanges['commands'];
  files: RunChanges['files'];
  services: RunChanges['services'];
  mails: RunChanges['mails'];
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
    const taskDir = path.join(this.dir, safeName(record.task));
    await fsp.mkdir(taskDir, { recursive: true });
    const name = `${record.start.replace(/[:.]/g, '-')}-${record.runId}.json`;
    const file = path.join(taskDir, name);
    const temp = `${file}.tmp`;
    await fsp.writeFile(temp, `${JSON.stringify(record, null, 2)}\n`);
    await fsp.rename(temp, file);
    await this.prune(taskDir);
    return file;
  }

  private async prune(taskDir: string): Promise<void> {
    const files = (await fsp.readdir(taskDir)).filter((f) => f.endsWith('.json')).sort();
    for (const old of files.slice(0, Math.max(0, files.length - this.keep))) {
      await fsp.rm(path.join(taskDir, old), { force: true });
    }
  }

  /** Runs of one task (or all tasks), newest first. */
  async history(task?: string, limit = 20): Promise<RunRecord[]> {
    const tasks = task ? [safeName(task)] : await fsp.readdir(this.dir).catch(() => [] as string[]);
    const records: RunRecord[] = [];
    for (const t of tasks) {
      const taskDir = path.join(this.dir, t);
      const files = await fsp.readdir(taskDir).catch(() => [] as string[]);
      for (const f of files.filter((name) => name.endsWith('.json'))) {
        try {
          records.push(JSON.parse(await fsp.readFile(path.join(taskDir, f), 'utf8')) as RunRecord);
        } catch {
          // a damaged record is skipped, never fatal for history
        }
      }
    }
    // ISO timestamps sort by code unit; localeCompare would load ICU's collator (~7 ms) for nothing.
    return records.sort((a, b) => (a.start < b.start ? 1 : a.start > b.start ? -1 : 0)).slice(0, limit);
  }

  /** The newest run of every task. */
  async latestPerTask(): Promise<RunRecord[]> {
    const all = await this.history(undefined, Number.MAX_SAFE_INTEGER);
    const seen = new Map<string, RunRecord>();
    for (const record of all) if (!seen.has(record.task)) seen.set(record.task, record);
    return [...seen.values()];
  }
}

function safeName(task: string): string {
  return task.replace(/[^A-Za-z0-9_.-]/g, '-');
}
