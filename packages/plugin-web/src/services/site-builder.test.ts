import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { FileStore, Journal, type Logger, RootSandbox, Shell } from '@ffphoton/core';
import { tempDir } from '@ffphoton/core/testing';
import { describe, expect, it } from 'vitest';
import { webSettings } from '../settings.js';
import { HealthCollector } from './health-collector.js';
import { SiteBuilder } from './site-builder.js';

const vnstatJson = JSON.stringify({
  jsonversion: '2',
  interfaces: [{ name: 'mzVPN', traffic: { total: { rx: 1, tx: 2 } } }],
});

function site() {
  const root = tempDir('web-builder');
  mkdirSync(path.join(root, 'var/www/html/firmware'), { recursive: true });
  const warnings: string[] = [];
  const logger = { warn: (message: string) => warnings.push(message) } as unknown as Logger;
  const files = new FileStore(new RootSandbox(root), { dryRun: false });
  const shell = new Shell({ dryRun: false, defaultTimeoutMs: 10_000 });
  const health = new HealthCollector(new Journal(path.join(root, 'runs'), 5), async () => ({
    successes: [],
    failures: [{ plugin: { name: 'broken' }, error: new Error('no data') }],
  }));
  const cfg = webSettings.schema.parse({
    brand: 'FF',
    links: [{ href: 'https://example.org/map', text: 'Map' }],
    system: { commands: [{ title: 'hello', argv: ['echo', 'hi'] }, { argv: ['sh', '-c', 'exit 2'] }] },
    traffic: { interfaces: ['eth9'], vnstat: ['printf', '%s', vnstatJson] },
  });
  const build = () =>
    new SiteBuilder(files, shell, health, logger).build(
      cfg,
      'gw1',
      { instances: [{ interface: 'mzVPN' }] },
      new Date('2026-01-15T12:00:00Z'),
    );
  return { root, warnings, build };
}

describe('SiteBuilder', () => {
  it('writes the three pages, reports what is missing, and rewrites nothing the second time', async () => {
    const s = site();
    const first = await s.build();
    const pagePaths = [
      '/var/www/html/index.html',
      '/var/www/html/traffic/index.html',
      '/var/www/html/system/index.html',
    ];
    expect(first.pages.map((p) => [p.path, p.changed])).toEqual(pagePaths.map((p) => [p, true]));
    for (const page of first.pages) {
      expect(page.bytes).toBe(Buffer.byteLength(readFileSync(path.join(s.root, page.path), 'utf8')));
    }
    const notes = [
      'system: sh -c exit 2: Failed (exit 2).',
      'traffic: Interface eth9 is not in the vnstat database; skipped.',
      'health: broken: unavailable: no data',
    ];
    expect({ ...first, pages: undefined }).toEqual({
      root: '/var/www/html',
      pages: undefined,
      health: { tasks: [], sections: [expect.objectContaining({ plugin: 'broken', state: 'unavailable' })] },
      interfaces: ['mzVPN'],
      notes,
    });
    expect(s.warnings).toEqual(notes);
    const landing = readFileSync(path.join(s.root, 'var/www/html/index.html'), 'utf8');
    expect(/<ul class="links">(.*?)<\/ul>/.exec(landing)?.[1]).toBe(
      '<li><a href="firmware">Firmware</a></li><li><a href="traffic/index.html">Traffic</a></li><li><a href="system/index.html">System</a></li><li><a href="https://example.org/map">Map</a></li>',
    );
    expect(landing).toContain('<title>FF · gw1</title>');

    const second = await s.build();
    expect(second.pages.map((p) => p.changed)).toEqual([false, false, false]);
  });
});
