import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Shell } from '@ffphoton/core';
import { describe, expect, it } from 'vitest';
import { barChart, formatBytes } from './svg-chart.js';
import { trafficInterfaces, VnstatReader } from './vnstat-reader.js';

// Recorded from the real vnstat 2.10 (test-data/vnstat-db.mjs, 45 days up to 2026-01-15 12:00 local time).
const recorded = fileURLToPath(new URL('../../test-data/vnstat-2.10-recorded.json', import.meta.url));
const limits = { hours: 24, days: 30, months: 12, topDays: 10 };
const shell = new Shell({ dryRun: false, defaultTimeoutMs: 10_000 });

describe('VnstatReader on recorded vnstat 2 JSON', () => {
  it('takes the last hours, days and months and the biggest days per interface', async () => {
    const report = await new VnstatReader(shell, ['cat', recorded], 10_000).read(
      ['mzVPN', 'eth0', 'tun9'],
      limits,
    );
    expect(report.interfaces.map((i) => i.name)).toEqual(['mzVPN', 'eth0']);
    expect(report.notes).toEqual(['Interface tun9 is not in the vnstat database; skipped.']);
    const eth0 = report.interfaces[1];
    expect(eth0.total).toEqual({ rx: 42795553048, tx: 21960556664 });
    expect(eth0.hours).toHaveLength(24);
    expect(eth0.hours.at(-1)).toEqual({ label: '12h', rx: 3954806, tx: 48542 });
    expect(eth0.days).toHaveLength(30);
    expect(eth0.days.at(-1)).toEqual({ label: '01-15', rx: 597347664, tx: 636246057 });
    expect(eth0.months.map((m) => m.label)).toEqual(['2025-12', '2026-01']);
    expect(eth0.top).toHaveLength(10);
    const totals = eth0.top.map((d) => d.rx + d.tx);
    expect(totals).toEqual([...totals].sort((a, b) => b - a));
    const raw = JSON.parse(readFileSync(recorded, 'utf8')).interfaces.find(
      (i: { name: string }) => i.name === 'eth0',
    );
    const biggest = Math.max(...raw.traffic.day.map((d: { rx: number; tx: number }) => d.rx + d.tx));
    expect(totals[0]).toBe(biggest);
  });

  it('does not run vnstat (nor complain) when no interface is configured', async () => {
    const report = await new VnstatReader(shell, ['/nonexistent/vnstat'], 10_000).read([], limits);
    expect(report).toEqual({ interfaces: [], notes: [] });
  });

  it('names the command when vnstat times out', async () => {
    const report = await new VnstatReader(shell, ['sleep', '20'], 500).read(['eth0'], limits);
    expect(report.notes).toEqual(['sleep 20 timed out after 1 s']);
  });

  it('adds every fastd interface to the configured ones, once', () => {
    const fastd = { instances: [{ interface: 'mzVPN' }, { interface: 'eth0' }, { name: 'broken' }] };
    expect(trafficInterfaces(['eth0'], true, fastd)).toEqual(['eth0', 'mzVPN']);
    expect(trafficInterfaces(['eth0'], false, fastd)).toEqual(['eth0']);
    expect(trafficInterfaces([], true, 'garbage')).toEqual([]);
  });
});

describe('SVG bar chart', () => {
  it('draws an rx and a tx bar per entry, escapes labels and scales to binary units', () => {
    const svg = barChart('c', 'eth0 <daily>', [
      { label: '<b>', rx: 1024 ** 3, tx: 0 },
      { label: 'x', rx: 5, tx: 7 },
    ]).value;
    expect(svg.match(/<rect /g)).toHaveLength(4);
    expect(svg).toContain('<title id="c-t">eth0 &lt;daily&gt;</title>');
    expect(svg).toContain('&lt;b&gt;');
    expect(svg).toContain('>1 GiB</text>');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(0)).toBe('0 B');
  });
});

describe('VnstatReader on hostile output', () => {
  const node = (script: string) => [process.execPath, '-e', script];

  it('refuses JSON nested thousands deep with a note', async () => {
    const report = await new VnstatReader(
      shell,
      node('process.stdout.write("[".repeat(100000) + "]".repeat(100000))'),
      10_000,
    ).read(['eth0'], limits);
    expect(report).toEqual({
      interfaces: [],
      notes: [expect.stringMatching(/printed no vnstat 2 JSON \(JSON nested deeper than 64 levels\)/)],
    });
  });

  it('stops reading output beyond 16 MiB and says so', async () => {
    const report = await new VnstatReader(
      shell,
      node('const b = Buffer.alloc(1 << 20, 32); for (let i = 0; i < 40; i++) process.stdout.write(b)'),
      10_000,
    ).read(['eth0'], limits);
    expect(report.interfaces).toEqual([]);
    expect(report.notes).toEqual([expect.stringMatching(/output over 16777216 bytes, program killed/)]);
  });
});
