import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { statusMetricFamilies, writeStatusMetrics } from './status-metrics.js';
import { writeTaskMetrics } from './task-metrics.js';
import { formatMetrics, sampleValue, TextfileDirectory } from './textfile.js';

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

  it('writes a task file whole: help, type and one sample per family, in a fixed order', async () => {
    const own = mkdtempSync(path.join(os.tmpdir(), 'photon-metrics-'));
    const file = await writeTaskMetrics(own, {
      task: 'alfred-announce',
      host: 'gw2',
      durationMs: 250,
      changes: 0,
      start: new Date(5_000),
      exitCode: 0,
    });
    const labels = '{task="alfred-announce",host="gw2"}';
    expect(readFileSync(file, 'utf8')).toBe(
      [
        '# HELP photon_task_last_run_timestamp_seconds When the last run of the task started (Unix time).',
        '# TYPE photon_task_last_run_timestamp_seconds gauge',
        `photon_task_last_run_timestamp_seconds${labels} 5`,
        '# HELP photon_task_last_success_timestamp_seconds When the last successful run started (Unix time).',
        '# TYPE photon_task_last_success_timestamp_seconds gauge',
        `photon_task_last_success_timestamp_seconds${labels} 5`,
        '# HELP photon_task_exit_code Exit code of the last run (0 = success, see photon --help).',
        '# TYPE photon_task_exit_code gauge',
        `photon_task_exit_code${labels} 0`,
        '# HELP photon_task_duration_seconds How long the last run took.',
        '# TYPE photon_task_duration_seconds gauge',
        `photon_task_duration_seconds${labels} 0.25`,
        "# HELP photon_task_changes_total Files and service actions changed by the task's runs.",
        '# TYPE photon_task_changes_total counter',
        `photon_task_changes_total${labels} 0`,
        '',
      ].join('\n'),
    );
  });

  it('formats special values and unlabelled samples, and refuses a bad label name', () => {
    const family = (value: number, labels: Record<string, string> = {}) => ({
      name: 'photon_v',
      help: 'v',
      type: 'counter' as const,
      samples: [{ labels, value }],
    });
    expect(
      formatMetrics([
        family(Number.NaN),
        family(Number.POSITIVE_INFINITY),
        family(Number.NEGATIVE_INFINITY),
        family(-0.5),
      ])
        .split('\n')
        .filter((line) => !line.startsWith('#')),
    ).toEqual(['photon_v NaN', 'photon_v +Inf', 'photon_v -Inf', 'photon_v -0.5', '']);
    expect(formatMetrics([])).toBe('\n');
    expect(() => formatMetrics([family(1, { 'bad-label': 'x' })])).toThrow(
      'invalid label name "bad-label" of photon_v',
    );
    expect(() => formatMetrics([family(1, { '1st': 'x' })])).toThrow('invalid label name "1st"');
    expect(() => formatMetrics([{ ...family(1), name: 'ok_name trailing' }])).toThrow('invalid metric name');
    expect(() => formatMetrics([{ ...family(1), name: '9lives' }])).toThrow('invalid metric name');
  });

  it('sampleValue reads the first sample of exactly that name', () => {
    const text = [
      '# HELP photon_a_total x',
      'photon_a_total{x="1"} 7',
      'photon_a{task="t"} 3',
      'photon_a 4',
      'photon_b junk',
      'photon_c 1e3',
    ].join('\n');
    expect(sampleValue(text, 'photon_a')).toBe(3);
    expect(sampleValue(text, 'photon_a_total')).toBe(7);
    expect(sampleValue(text, 'photon_b')).toBeUndefined();
    expect(sampleValue(text, 'photon_c')).toBe(1000);
    expect(sampleValue(text, 'photon')).toBeUndefined();
    expect(sampleValue('photon_d +Inf', 'photon_d')).toBeUndefined();
  });

  it('names files safely, reads a missing one as empty, and removes its temp when the rename fails', async () => {
    const own = mkdtempSync(path.join(os.tmpdir(), 'photon-metrics-'));
    const textfiles = new TextfileDirectory(path.join(own, 'textfiles'));
    expect(path.basename(textfiles.file('a/b c:d_e.f-g'))).toBe('a-b-c-d_e.f-g.prom');
    expect(await textfiles.read('missing')).toBe('');
    // The target's name is taken by a directory: the rename fails.
    mkdirSync(path.join(own, 'textfiles', 'blocked.prom'), { recursive: true });
    await expect(textfiles.write('blocked', [])).rejects.toThrow();
    expect(readdirSync(path.join(own, 'textfiles'))).toEqual(['blocked.prom']);
  });

  it('writes the status gauges of several sections to photon_status.prom', async () => {
    const own = mkdtempSync(path.join(os.tmpdir(), 'photon-metrics-'));
    const section = (id: string, gauges?: { name: string; value: number }[]) => ({
      plugin: 'p',
      id,
      title: id,
      state: 'ok' as const,
      summary: '',
      rows: [],
      ...(gauges && { gauges: gauges.map((g) => ({ ...g, help: `${g.name} help`, labels: {} })) }),
    });
    const file = await writeStatusMetrics(
      own,
      [
        section('a', [{ name: 'photon_a', value: 1 }]),
        section('none'),
        section('b', [
          { name: 'photon_b', value: 2 },
          { name: 'photon_a', value: 3 },
        ]),
      ],
      'gw3',
    );
    expect(path.relative(own, file)).toBe('photon_status.prom');
    expect(readFileSync(file, 'utf8')).toBe(
      [
        '# HELP photon_a photon_a help',
        '# TYPE photon_a gauge',
        'photon_a{host="gw3"} 1',
        'photon_a{host="gw3"} 3',
        '# HELP photon_b photon_b help',
        '# TYPE photon_b gauge',
        'photon_b{host="gw3"} 2',
        '',
      ].join('\n'),
    );
  });
});
