import { describe, expect, it } from 'vitest';
import type { HealthReport } from './health-collector.js';
import { type SiteContent, SitePages } from './site-pages.js';

const generated = new Date('2026-01-15T12:00:00.000Z');
const minutesBefore = (minutes: number) => new Date(generated.getTime() - minutes * 60_000).toISOString();

const health: HealthReport = {
  tasks: [
    {
      task: 'fastd verify',
      start: minutesBefore(0.2),
      durationMs: 999,
      outcome: 'failed',
      exitCode: 3,
      summary: 'a <b> summary',
      state: 'failed',
    },
    {
      task: 'git sync',
      start: minutesBefore(119),
      durationMs: 1000,
      outcome: 'partial',
      exitCode: 5,
      summary: '1 of 2 failed',
      state: 'warning',
    },
    {
      task: 'icvpn/dns',
      start: minutesBefore(120),
      durationMs: 119_999,
      outcome: 'ok',
      exitCode: 0,
      summary: 'unchanged',
      state: 'ok',
    },
    {
      task: 'web build',
      start: minutesBefore(47 * 60),
      durationMs: 120_000,
      outcome: 'ok',
      exitCode: 0,
      summary: '',
      state: 'ok',
    },
    {
      task: 'mail test',
      start: minutesBefore(48 * 60),
      durationMs: 0,
      outcome: 'ok',
      exitCode: 0,
      summary: 'sent',
      state: 'ok',
    },
  ],
  sections: [
    {
      plugin: '@ffphoton/plugin-fastd',
      id: 'fastd',
      title: 'fastd',
      state: 'warning',
      summary: '2 of 3 instances up',
      updated: '2026-01-15T11:50:00Z',
      rows: [
        { label: 'mzVPN', value: '12 peers', state: 'ok' },
        { label: 'wiVPN', value: 'down & out', state: 'failed' },
        { label: 'plain', value: 'no state' },
      ],
    },
    {
      plugin: 'community',
      id: 'empty',
      title: 'Nothing',
      state: 'unavailable',
      summary: 'unavailable: gone',
      rows: [],
    },
  ],
};

const content: SiteContent = {
  brand: 'Freifunk Mainz',
  title: 'gw1',
  generated,
  links: [
    { href: 'traffic/index.html', text: 'Traffic' },
    { href: 'https://example.org/?a=1&b=2', text: 'Map "live"' },
  ],
  health,
  system: [
    {
      title: 'uptime',
      argv: ['uptime'],
      stdout: ' 12:00 up 3 days \n\n',
      stderr: '',
      ok: true,
      durationMs: 5,
    },
    {
      title: 'uptime',
      argv: ['uptime', '-p'],
      stdout: '',
      stderr: 'warning: <x>\n',
      ok: true,
      durationMs: 5,
    },
    {
      title: 'ip -s link',
      argv: ['ip', '-s', 'link'],
      stdout: '',
      stderr: '',
      ok: false,
      note: 'Failed (exit 1).',
      durationMs: 5,
    },
    { title: 'true', argv: ['true'], stdout: '  \n', stderr: ' ', ok: true, durationMs: 1 },
  ],
  traffic: {
    interfaces: [
      {
        name: 'eth0',
        total: { rx: 42795553048, tx: 21960556664 },
        hours: [
          { label: '11h', rx: 1024, tx: 2048 },
          { label: '12h', rx: 3954806, tx: 48542 },
        ],
        days: [{ label: '01-15', rx: 597347664, tx: 636246057 }],
        months: [],
        top: [{ label: '2026-01-03', rx: 5 * 1024 ** 3, tx: 1024 ** 3 }],
      },
      { name: 'bat/0 x', total: { rx: 0, tx: 0 }, hours: [], days: [], months: [], top: [] },
    ],
    notes: ['Interface tun9 is not in the vnstat database; skipped.'],
  },
};

// The pages are compared whole: every word, attribute and number on them is behaviour.
describe('SitePages', () => {
  it('renders the landing, traffic and system pages', async () => {
    const pages = new SitePages().render(content);
    expect(pages.map((p) => p.path)).toEqual(['index.html', 'traffic/index.html', 'system/index.html']);
    for (const page of pages) {
      await expect(page.html).toMatchFileSnapshot(`__snapshots__/site-pages/full/${page.path}.snap`);
    }
  });

  it('says so when there are no tasks, sections, commands or interfaces', async () => {
    const pages = new SitePages().render({
      ...content,
      title: 'gw2',
      links: [],
      health: { tasks: [], sections: [] },
      system: [],
      traffic: { interfaces: [], notes: [] },
    });
    for (const page of pages) {
      await expect(page.html).toMatchFileSnapshot(`__snapshots__/site-pages/empty/${page.path}.snap`);
    }
  });

  it('shows only the notes when no interface could be read', async () => {
    const [, traffic] = new SitePages().render({
      ...content,
      traffic: { interfaces: [], notes: ['vnstat failed'] },
    });
    const main = traffic.html.slice(traffic.html.indexOf('<main>'), traffic.html.indexOf('</main>') + 7);
    expect(main).toBe('<main>\n<h1>Traffic</h1>\n<p class="note">vnstat failed</p>\n</main>');
  });
});
