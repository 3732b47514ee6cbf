import { html, palette, type SafeHtml } from './html.js';

export interface TrafficBar {
  label: string;
  rx: number;
  tx: number;
}

const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${Number(value.toFixed(value >= 100 ? 0 : 1))} ${units[unit]}`;
}

/** The smallest 1/2/5 × 2^(10k) step above `max`, so axis labels are round in binary units. */
function niceCeiling(max: number): number {
  if (max <= 0) return 1;
  const scale = 1024 ** Math.floor(Math.log(max) / Math.log(1024));
  const unitsOf = max / scale;
  const step = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 1024].find((s) => s >= unitsOf) ?? 1024;
  return step * scale;
}

const W = 600;
const H = 220;
const LEFT = 64;
const RIGHT = 8;
const TOP = 12;
const BOTTOM = 28;

/**
 * A grouped rx/tx bar chart as inline SVG (no script, scales with the page), with a title and
 * description for screen readers; the numbers are also in the table next to it.
 */
export function barChart(id: string, title: string, bars: TrafficBar[]): SafeHtml {
  const max = niceCeiling(Math.max(0, ...bars.map((b) => Math.max(b.rx, b.tx))));
  const plotW = W - LEFT - RIGHT;
  const plotH = H - TOP - BOTTOM;
  const group = plotW / Math.max(1, bars.length);
  const barW = Math.max(1, group * 0.38);
  const y = (v: number) => TOP + plotH - (v / max) * plotH;
  // as many labels as fit side by side (11px text is about 6.5px per character)
  const labelWidth = Math.max(1, ...bars.map((b) => b.label.length)) * 6.5 + 8;
  const labelEvery = Math.max(1, Math.ceil(bars.length / Math.max(1, Math.floor(plotW / labelWidth))));
  const grid = [0, 0.5, 1].map((f) => {
    const gy = y(max * f).toFixed(1);
    return html`<line x1="${LEFT}" x2="${W - RIGHT}" y1="${gy}" y2="${gy}" stroke="${palette.border}" stroke-width="0.5"/><text x="${LEFT - 4}" y="${gy}" text-anchor="end" dominant-baseline="middle">${formatBytes(max * f)}</text>`;
  });
  const columns = bars.map((bar, i) => {
    const x = LEFT + i * group + group * 0.1;
    const label =
      i % labelEvery === 0
        ? html`<text x="${(x + barW).toFixed(1)}" y="${H - BOTTOM + 14}" text-anchor="middle">${bar.label}</text>`
        : '';
    return html`<rect x="${x.toFixed(1)}" y="${y(bar.rx).toFixed(1)}" width="${barW.toFixed(1)}" height="${(TOP + plotH - y(bar.rx)).toFixed(1)}" fill="${palette.rx}"/><rect x="${(x + barW).toFixed(1)}" y="${y(bar.tx).toFixed(1)}" width="${barW.toFixed(1)}" height="${(TOP + plotH - y(bar.tx)).toFixed(1)}" fill="${palette.tx}"/>${label}`;
  });
  const total = bars.reduce((sum, b) => ({ rx: sum.rx + b.rx, tx: sum.tx + b.tx }), { rx: 0, tx: 0 });
  const desc = `${bars.length} entries, received ${formatBytes(total.rx)}, sent ${formatBytes(total.tx)} in total.`;
  return html`<svg viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="${id}-t ${id}-d" font-size="11" fill="${palette.fg}"><title id="${id}-t">${title}</title><desc id="${id}-d">${desc}</desc>${grid}${columns}</svg>`;
}

/** The chart's numbers as a table (for screen readers, copying and browsers without SVG). */
export function barTable(caption: string, bars: TrafficBar[]): SafeHtml {
  const rows = bars.map(
    (b) =>
      html`<tr><td>${b.label}</td><td class="num">${formatBytes(b.rx)}</td><td class="num">${formatBytes(b.tx)}</td><td class="num">${formatBytes(b.rx + b.tx)}</td></tr>`,
  );
  return html`<details><summary>${caption} as a table</summary><div class="table-wrap"><table><thead><tr><th scope="col">Period</th><th scope="col" class="num">Received</th><th scope="col" class="num">Sent</th><th scope="col" class="num">Total</th></tr></thead><tbody>${rows}</tbody></table></div></details>`;
}
