import { describe, expect, it } from 'vitest';
import { barChart, barTable, formatBytes } from './svg-chart.js';

describe('formatBytes', () => {
  it('uses binary units, one decimal below 100 and none from 100 on', () => {
    const cases: [number, string][] = [
      [0, '0 B'],
      [1023, '1023 B'],
      [1024, '1 KiB'],
      [1536, '1.5 KiB'],
      [99.94 * 1024, '99.9 KiB'],
      [99.96 * 1024, '100 KiB'],
      [100.4 * 1024, '100 KiB'],
      [1024 ** 2 - 1, '1024 KiB'],
      [1024 ** 2, '1 MiB'],
      [1024 ** 3, '1 GiB'],
      [1024 ** 4, '1 TiB'],
      [1024 ** 5, '1 PiB'],
      [1024 ** 6, '1024 PiB'],
    ];
    expect(cases.map(([bytes]) => formatBytes(bytes))).toEqual(cases.map(([, text]) => text));
  });
});

/** The y-axis labels of a chart: 0, half and the top of the scale. */
const axis = (svg: string) => [...svg.matchAll(/dominant-baseline="middle">([^<]*)</g)].map((m) => m[1]);

describe('barChart', () => {
  it('scales the axis to the next 1/2/5 step in binary units', () => {
    const top = (max: number) => axis(barChart('c', 't', [{ label: 'a', rx: max, tx: 0 }]).value).at(-1);
    expect(
      [0, 1, 2, 3, 6, 11, 21, 51, 101, 201, 501, 1001, 1024, 1025, 3 * 1024, 1024 ** 3].map(top),
    ).toEqual([
      '1 B',
      '1 B',
      '2 B',
      '5 B',
      '10 B',
      '20 B',
      '50 B',
      '100 B',
      '200 B',
      '500 B',
      '1000 B',
      '1 KiB',
      '1 KiB',
      '2 KiB',
      '5 KiB',
      '1 GiB',
    ]);
    expect(axis(barChart('c', 't', [{ label: 'a', rx: 0, tx: 1500 }]).value)).toEqual([
      '0 B',
      '1 KiB',
      '2 KiB',
    ]);
  });

  it('draws the whole chart: grid, bars, labels, title and description', () => {
    const svg = barChart('if-eth0-d', 'eth0: <Daily>', [
      { label: 'a', rx: 1024, tx: 512 },
      { label: 'b', rx: 0, tx: 2048 },
    ]).value;
    expect(svg).toBe(
      '<svg viewBox="0 0 600 220" role="img" aria-labelledby="if-eth0-d-t if-eth0-d-d" font-size="11" fill="#1a1a1a">' +
        '<title id="if-eth0-d-t">eth0: &lt;Daily&gt;</title><desc id="if-eth0-d-d">2 entries, received 1 KiB, sent 2.5 KiB in total.</desc>' +
        '<line x1="64" x2="592" y1="192.0" y2="192.0" stroke="#8c8c8c" stroke-width="0.5"/><text x="60" y="192.0" text-anchor="end" dominant-baseline="middle">0 B</text>' +
        '<line x1="64" x2="592" y1="102.0" y2="102.0" stroke="#8c8c8c" stroke-width="0.5"/><text x="60" y="102.0" text-anchor="end" dominant-baseline="middle">1 KiB</text>' +
        '<line x1="64" x2="592" y1="12.0" y2="12.0" stroke="#8c8c8c" stroke-width="0.5"/><text x="60" y="12.0" text-anchor="end" dominant-baseline="middle">2 KiB</text>' +
        '<rect x="90.4" y="102.0" width="100.3" height="90.0" fill="#1f6fb4"/><rect x="190.7" y="147.0" width="100.3" height="45.0" fill="#c2410c"/>' +
        '<text x="190.7" y="206" text-anchor="middle">a</text>' +
        '<rect x="354.4" y="192.0" width="100.3" height="0.0" fill="#1f6fb4"/><rect x="454.7" y="12.0" width="100.3" height="180.0" fill="#c2410c"/>' +
        '<text x="454.7" y="206" text-anchor="middle">b</text></svg>',
    );
  });

  it('labels only as many bars as fit, and draws an empty chart', () => {
    const bars = Array.from({ length: 30 }, (_, i) => ({
      label: `2026-01-${String(i + 1).padStart(2, '0')}`,
      rx: i,
      tx: i,
    }));
    const labels = [...barChart('c', 't', bars).value.matchAll(/text-anchor="middle">([^<]*)</g)].map(
      (m) => m[1],
    );
    // 528 px of plot, 10 characters at 6.5 px plus 8 px each: 7 fit, so every 5th bar is labelled
    expect(labels).toEqual([
      '2026-01-01',
      '2026-01-06',
      '2026-01-11',
      '2026-01-16',
      '2026-01-21',
      '2026-01-26',
    ]);
    const empty = barChart('c', 't', []).value;
    expect(empty).not.toContain('<rect');
    expect(empty).toContain('<desc id="c-d">0 entries, received 0 B, sent 0 B in total.</desc>');
    expect(axis(empty)).toEqual(['0 B', '0.5 B', '1 B']);
  });
});

describe('barTable', () => {
  it('lists every bar with received, sent and total', () => {
    expect(barTable('Daily', [{ label: '<1>', rx: 1024, tx: 2048 }]).value).toBe(
      '<details><summary>Daily as a table</summary><div class="table-wrap"><table><thead><tr><th scope="col">Period</th><th scope="col" class="num">Received</th><th scope="col" class="num">Sent</th><th scope="col" class="num">Total</th></tr></thead>' +
        '<tbody><tr><td>&lt;1&gt;</td><td class="num">1 KiB</td><td class="num">2 KiB</td><td class="num">3 KiB</td></tr></tbody></table></div></details>',
    );
  });
});
