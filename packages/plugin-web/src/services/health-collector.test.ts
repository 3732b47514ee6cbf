import { describe, expect, it } from 'vitest';
import { sectionsOf } from './health-collector.js';
import { escapeHtml, html, SafeHtml } from './html.js';

const plugin = (name: string) => ({ name });

describe('plugin status sections', () => {
  it('keeps valid sections, marks failures and garbage unavailable, gives every section its own id', () => {
    const sections = sectionsOf({
      successes: [
        {
          plugin: plugin('@ffphoton/plugin-fastd'),
          result: { id: 'fastd', title: 'fastd', state: 'ok', summary: '2 up' },
        },
        { plugin: plugin('@ffphoton/plugin-alfred'), result: undefined },
        {
          plugin: plugin('community'),
          result: [{ id: 'fastd', title: 'fastd', state: 'warning', summary: 'again' }],
        },
        { plugin: plugin('Bad Plugin'), result: { id: 'Not An Id', title: 'x', state: 'ok', summary: '' } },
      ],
      failures: [{ plugin: plugin('@ffphoton/plugin-icvpn'), error: new Error('meta checkout missing') }],
    });
    expect(sections.map((s) => [s.plugin, s.id, s.state])).toEqual([
      ['@ffphoton/plugin-icvpn', 'ffphoton-plugin-icvpn', 'unavailable'],
      ['Bad Plugin', 'bad-plugin', 'unavailable'],
      ['community', 'fastd-2', 'warning'],
      ['@ffphoton/plugin-fastd', 'fastd', 'ok'],
    ]);
    expect(sections[0].summary).toBe('unavailable: meta checkout missing');
    expect(sections[1].summary).toMatch(/^unavailable: reported an invalid section/);
  });
});

describe('html template', () => {
  it('escapes interpolated text, keeps SafeHtml and joins arrays', () => {
    const out = html`<p title="${'"x"'}">${'<script>'}${new SafeHtml('<b>ok</b>')}${['a', '&']}${undefined}</p>`;
    expect(out.value).toBe('<p title="&quot;x&quot;">&lt;script&gt;<b>ok</b>a&amp;</p>');
    expect(escapeHtml(`'`)).toBe('&#39;');
  });
});
