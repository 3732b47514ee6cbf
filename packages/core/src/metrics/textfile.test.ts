import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { statusMetricFamilies } from './status-metrics.js';
import { writeTaskMetrics } from './task-metrics.js';
import { formatMetrics, sampleValue } from './textfile.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'photon-metrics-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('node_exporter textfiles', () => {
  it('formats families with escaped labels and help', () => {
    const text = formatMetrics([
      {
        name: 'photon_x',
        help: 'a\\b\nc',
        type: 'gauge',
        samples: [{ labels: { task: 'say "hi"\\\n' }, value: 1.5 }],
      },
    ]);
    expect(text).toBe(
      '# HELP photon_x a\\\\b\\nc\n# TYPE photon_x gauge\nphoton_x{task="say \\"hi\\"\\\\\\n"} 1.5\n',
    );
    expect(() => formatMetrics([{ name: 'bad-name', help: 'x', type: 'gauge', samples: [] }])).toThrow(
      /bad-name/,
    );
  });

  it('keeps the last success across a failed run, counts changes, and leaves no temp file', async () => {
    const run = { task: 'fastd-limit', host: 'gw1', durationMs: 1500, changes: 2 };
    const file = await writeTaskMetrics(dir, { ...run, start: new Date(1_000_000), exitCode: 0 });
    expect(path.basename(file)).toBe('photon_task_fastd-limit.prom');
    await writeTaskMetrics(dir, { ...run, start: new Date(2_000_000), exitCode: 5, changes: 1 });
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('photon_task_last_run_timestamp_seconds{task="fastd-limit",host="gw1"} 2000\n');
    expect(text).toContain(
      'photon_task_last_success_timestamp_seconds{task="fastd-limit",host="gw1"} 1000\n',
    );
    expect(text).toContain('photon_task_exit_code{task="fastd-limit",host="gw1"} 5\n');
    expect(text).toContain('photon_task_duration_seconds{task="fastd-limit",host="gw1"} 1.5\n');
    expect(sampleValue(text, 'photon_task_changes_total')).toBe(3);
    expect(readdirSync(dir)).toEqual(['photon_task_fastd-limit.prom']);
  });

  it('writes no last success before the first successful run', async () => {
    const file = await writeTaskMetrics(dir, {
      task: 'never-ok',
      host: 'gw1',
      durationMs: 1,
      changes: 0,
      start: new Date(0),
      exitCode: 1,
    });
    expect(readFileSync(file, 'utf8')).not.toContain('last_success');
  });

  it("turns the status sections' gauges into one family per name, labelled with the host", () => {
    const families = statusMetricFamilies(
      [
        {
          plugin: 'p',
          id: 'fastd',
          title: 'fastd',
          state: 'ok',
          summary: '',
          rows: [],
          gauges: [
            { name: 'photon_fastd_peers', help: 'Connected', labels: { instance: 'a' }, value: 3 },
            { name: 'photon_fastd_peers', help: 'Connected', labels: { instance: 'b' }, value: 4 },
          ],
        },
      ],
      'gw1',
    );
    expect(families).toEqual([
      {
        name: 'photon_fastd_peers',
        help: 'Connected',
        type: 'gauge',
        samples: [
          { labels: { instance: 'a', host: 'gw1' }, value: 3 },
          { labels: { instance: 'b', host: 'gw1' }, value: 4 },
        ],
      },
    ]);
  });
});
