import type { MetricFamily } from './textfile.js';
import { sampleValue, TextfileDirectory } from './textfile.js';

/** What one finished task run reports. */
export interface TaskRunMetrics {
  task: string;
  host: string;
  start: Date;
  durationMs: number;
  exitCode: number;
  /** Files and service actions this run changed. */
  changes: number;
}

const LAST_SUCCESS = 'photon_task_last_success_timestamp_seconds';
const CHANGES = 'photon_task_changes_total';

/** The file of a task: `photon_task_<task>.prom`. */
export const taskMetricsName = (task: string) => `photon_task_${task}`;

/**
 * Rewrites the task's textfile after a run. The last success and the change counter carry over
 * from the previous file, so a failing run keeps the time of the last good one.
 */
export async function writeTaskMetrics(dir: string, run: TaskRunMetrics): Promise<string> {
  const textfiles = new TextfileDirectory(dir);
  const name = taskMetricsName(run.task);
  const previous = await textfiles.read(name);
  const startSeconds = run.start.getTime() / 1000;
  const lastSuccess = run.exitCode === 0 ? startSeconds : sampleValue(previous, LAST_SUCCESS);
  const changes = (sampleValue(previous, CHANGES) ?? 0) + run.changes;
  const labels = { task: run.task, host: run.host };
  const gauge = (metric: string, help: string, value: number): MetricFamily => ({
    name: metric,
    help,
    type: 'gauge',
    samples: [{ labels, value }],
  });
  const families: MetricFamily[] = [
    gauge(
      'photon_task_last_run_timestamp_seconds',
      'When the last run of the task started (Unix time).',
      startSeconds,
    ),
    gauge(
      'photon_task_exit_code',
      'Exit code of the last run (0 = success, see photon --help).',
      run.exitCode,
    ),
    gauge('photon_task_duration_seconds', 'How long the last run took.', run.durationMs / 1000),
    {
      name: CHANGES,
      help: "Files and service actions changed by the task's runs.",
      type: 'counter',
      samples: [{ labels, value: changes }],
    },
  ];
  if (lastSuccess !== undefined)
    families.splice(
      1,
      0,
      gauge(LAST_SUCCESS, 'When the last successful run started (Unix time).', lastSuccess),
    );
  return textfiles.write(name, families);
}
