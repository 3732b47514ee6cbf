import type { RunRecord } from '@ffphoton/core';

/** A journal record of a finished run, as core's TaskRunner writes it. */
export function journalRecord(task: string, outcome: RunRecord['outcome'], start: string): RunRecord {
  return {
    task,
    runId: Math.random().toString(36).slice(2, 8),
    argv: [],
    host: 'gw1',
    dryRun: false,
    start,
    end: start,
    durationMs: 1234,
    outcome,
    exitCode: outcome === 'ok' ? 0 : 1,
    summary: outcome === 'ok' ? `${task} done` : `${task} failed: bird -p rejected the config`,
    commands: [],
    files: [],
    services: [],
    mails: [],
  };
}
