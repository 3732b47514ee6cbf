import type { ValidStatusSection } from '@ffphoton/core';
import type { HealthReport, TaskHealth } from './health-collector.js';
import { anchorId, html, type PageFrame, renderPage, type SafeHtml } from './html.js';
import { barChart, barTable, formatBytes, type TrafficBar } from './svg-chart.js';
import type { SystemCommandOutput } from './system-report.js';
import type { InterfaceTraffic, TrafficReport } from './vnstat-reader.js';

export interface SiteContent {
  brand: string;
  title: string;
  generated: Date;
  /** Landing-page links (href relative to the web root). */
  links: { href: string; text: string }[];
  health: HealthReport;
  system: SystemCommandOutput[];
  traffic: TrafficReport;
}

export interface RenderedPage {
  /** Relative to the web root. */
  path: string;
  html: string;
}

const nav = [
  { href: 'index.html', text: 'Status' },
  { href: 'traffic/index.html', text: 'Traffic' },
  { href: 'system/index.html', text: 'System' },
];

const stateLabel = { ok: '✓ ok', warning: '! warning', failed: '✗ failed', unavailable: '✗ unavailable' };

function duration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.round(ms / 60_000)} min`;
}

/** How long before the page was built, e.g. "3 min ago" (the page is static: no live clock). */
function age(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 120) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} h ago` : `${Math.round(hours / 24)} days ago`;
}

/** Renders the three pages of the status site from collected data (pure: no I/O). */
export class SitePages {
  render(content: SiteContent): RenderedPage[] {
    const frame = (sub: string | undefined, self: string, prefix: string): PageFrame => ({
      brand: content.brand,
      title: content.title,
      sub,
      prefix,
      self,
      generated: content.generated,
      nav,
    });
    return [
      { path: 'index.html', html: renderPage(frame(undefined, 'index.html', './'), this.landing(content)) },
      {
        path: 'traffic/index.html',
        html: renderPage(frame('Traffic', 'traffic/index.html', '../'), this.traffic(content.traffic)),
      },
      {
        path: 'system/index.html',
        html: renderPage(frame('System', 'system/index.html', '../'), this.system(content.system)),
      },
    ];
  }

  private landing(content: SiteContent): SafeHtml {
    const links = content.links.map((l) => html`<li><a href="${l.href}">${l.text}</a></li>`);
    return html`<section aria-labelledby="links-h"><h2 id="links-h">Pages</h2><ul class="links">${links}</ul></section>
<section aria-labelledby="health-h"><h2 id="health-h">Health</h2>
<h3>Last run of every task</h3>${this.tasks(content.health.tasks, content.generated)}
${content.health.sections.map((s) => this.section(s))}</section>`;
  }

  private tasks(tasks: TaskHealth[], now: Date): SafeHtml {
    if (tasks.length === 0) return html`<p class="note">No photon task has run on this host yet.</p>`;
    const rows = tasks.map(
      (t) =>
        html`<tr class="state-${t.state}" id="${anchorId('task', t.task)}"><td data-label="Task"><strong>${t.task}</strong></td><td data-label="Started"><time datetime="${t.start}">${t.start.slice(0, 16).replace('T', ' ')}Z</time> <span class="muted">(${age(now.getTime() - Date.parse(t.start))})</span></td><td data-label="Outcome" class="state-${t.state}">${stateLabel[t.state]} <span class="muted">(exit ${t.exitCode})</span></td><td data-label="Duration" class="num">${duration(t.durationMs)}</td><td data-label="Summary">${t.summary}</td></tr>`,
    );
    return html`<div class="table-wrap"><table class="tasks"><thead><tr><th scope="col">Task</th><th scope="col">Started</th><th scope="col">Outcome</th><th scope="col" class="num">Duration</th><th scope="col">Summary</th></tr></thead><tbody>${rows}</tbody></table></div>`;
  }

  private section(s: ValidStatusSection): SafeHtml {
    const rows = s.rows.map(
      (r) =>
        html`<tr${r.state ? html` class="state-${r.state}"` : ''}><th scope="row">${r.label}</th><td>${r.value}</td></tr>`,
    );
    const id = anchorId('section', s.id);
    return html`<section class="card"><h3 id="${id}">${s.title} <span class="state-${s.state}">${stateLabel[s.state]}</span></h3>
<p>${s.summary}</p>${s.updated ? html`<p class="muted">Updated ${s.updated}</p>` : ''}${rows.length > 0 ? html`<div class="table-wrap"><table><tbody>${rows}</tbody></table></div>` : ''}</section>`;
  }

  private system(outputs: SystemCommandOutput[]): SafeHtml {
    if (outputs.length === 0) return html`<p class="note">No system commands are configured.</p>`;
    return html`${outputs.map((o, index) => {
      // the index keeps ids unique when two commands share a title
      const id = anchorId(`cmd-${index}`, o.title);
      const note = o.note ? html`<p class="note"><strong>${o.title}:</strong> ${o.note}</p>` : '';
      const stdout = o.stdout.trim() ? html`<pre tabindex="0">${o.stdout.replace(/\s+$/, '')}</pre>` : '';
      const stderr = o.stderr.trim()
        ? html`<p class="muted">Error output:</p><pre tabindex="0">${o.stderr.replace(/\s+$/, '')}</pre>`
        : '';
      return html`<section class="card"><h2 id="${id}"><code>${o.title}</code></h2>${note}${stdout}${stderr}${!note && !stdout && !stderr ? html`<p class="muted">No output.</p>` : ''}</section>`;
    })}`;
  }

  private traffic(report: TrafficReport): SafeHtml {
    const notes = report.notes.map((n) => html`<p class="note">${n}</p>`);
    if (report.interfaces.length === 0 && notes.length === 0) {
      return html`<p>No interfaces are configured (<code>web.traffic.interfaces</code>, fastd instances).</p>`;
    }
    const legend = html`<p class="legend" aria-hidden="true"><span style="background:#1f6fb4"></span>received<span style="background:#c2410c"></span>sent</p>`;
    const toc = report.interfaces.length
      ? html`<ul>${report.interfaces.map((i) => html`<li><a href="#${anchorId('if', i.name)}">${i.name}</a></li>`)}</ul>`
      : '';
    return html`${notes}${toc}${report.interfaces.length ? legend : ''}${report.interfaces.map((i) => this.interface(i))}`;
  }

  private interface(i: InterfaceTraffic): SafeHtml {
    const id = anchorId('if', i.name);
    const chart = (key: string, caption: string, bars: TrafficBar[]) =>
      html`<figure><figcaption>${caption}</figcaption>${barChart(`${id}-${key}`, `${i.name}: ${caption}`, bars)}${barTable(caption, bars)}</figure>`;
    return html`<section class="card"><h2 id="${id}">${i.name}</h2>
<p>Total: received ${formatBytes(i.total.rx)}, sent ${formatBytes(i.total.tx)}.</p>
<div class="charts">${chart('h', 'Hourly', i.hours)}${chart('d', 'Daily', i.days)}${chart('m', 'Monthly', i.months)}${chart('t', 'Top days', i.top)}</div></section>`;
  }
}
