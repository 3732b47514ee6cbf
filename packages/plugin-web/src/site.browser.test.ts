/// <reference lib="dom" />
// (The page callbacks below run in the browser.)
import { mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Journal } from '@ffphoton/core';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM helper shared with bench/web.mjs
import { createVnstatDb } from '../test-data/vnstat-db.mjs';
import WebBuild from './commands/web/build.js';
import { journalRecord } from './test-helpers/journal-record.js';
import { runCommand, tempDir, writeSettings } from './test-helpers/run-command.js';

const artefacts = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../test-results');
const axeSource = fileURLToPath(import.meta.resolve('axe-core/axe.min.js'));
const pages = ['index.html', 'traffic/index.html', 'system/index.html'];

/** A static file server for the web root, like the gateway's web server (directories → index.html). */
function serve(root: string): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const url = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let file = path.join(root, url);
    if (!file.startsWith(root)) return void res.writeHead(403).end();
    try {
      if (statSync(file).isDirectory()) {
        const index = path.join(file, 'index.html');
        try {
          statSync(index);
          file = index;
        } catch {
          return void res.writeHead(200, { 'content-type': 'text/plain' }).end('directory');
        }
      }
      const type = file.endsWith('.html') ? 'text/html; charset=utf-8' : 'application/octet-stream';
      res.writeHead(200, { 'content-type': type }).end(readFileSync(file));
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('the built site in real headless Chromium', () => {
  const dir = tempDir('browser');
  const root = path.join(dir, 'root');
  const webRoot = path.join(root, 'var/www/html');
  let server: http.Server;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(path.join(webRoot, 'firmware'), { recursive: true });
    mkdirSync(path.join(dir, 'vnstat'));
    const vnstat = createVnstatDb(path.join(dir, 'vnstat'), ['eth0', 'mzVPN'], { days: 400 });
    const journal = new Journal(path.join(root, 'var/lib/photon/runs'), 10);
    await journal.write(journalRecord('fastd-limit', 'ok', '2026-01-01T10:00:00.000Z'));
    await journal.write(journalRecord('icvpn-update', 'failed', '2026-01-01T09:00:00.000Z'));
    const settings = writeSettings(dir, {
      photon: { hostname: 'gw1', dataDir: '/var/lib/photon' },
      fastd: { instances: [{ name: 'mz', interface: 'mzVPN', configFile: '/x', statusSocket: '/y' }] },
      web: {
        statusTimeoutSeconds: 1,
        system: {
          timeoutSeconds: 10,
          commands: [
            { argv: ['sh', '-c', 'echo "<script>alert(1)</script>"'] },
            { argv: ['uptime'] },
            { argv: ['false'] },
          ],
        },
        traffic: { interfaces: ['eth0', 'gone0'], vnstat },
      },
    });
    const run = await runCommand(WebBuild, [
      '--config',
      settings,
      '--root',
      root,
      '--json',
      '--log-level',
      'error',
    ]);
    expect(run.exitCode).toBe(0);
    server = await serve(webRoot);
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--headless',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    mkdirSync(artefacts, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  async function open(pagePath: string, width = 1280): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport: { width, height: 900 }, javaScriptEnabled: false });
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    const response = await page.goto(base + pagePath);
    expect(response?.status()).toBe(200);
    return { page, errors };
  }

  it.each(pages)('%s: no console errors, every link resolves, screenshot kept', async (pagePath) => {
    const { page, errors } = await open(pagePath);
    const hrefs = await page.$$eval('a[href]', (as) => as.map((a) => (a as HTMLAnchorElement).href));
    expect(hrefs.length).toBeGreaterThan(3);
    for (const href of hrefs) {
      const url = new URL(href);
      if (url.origin !== new URL(base).origin) continue;
      if (url.hash) expect(await page.locator(url.hash).count(), href).toBe(1);
      const response = await page.request.get(href);
      expect(response.status(), href).toBe(200);
    }
    await page.screenshot({
      path: path.join(artefacts, `web-${pagePath.replace(/\//g, '-')}.png`),
      fullPage: true,
    });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows the failed task first and in red, with a text marker', async () => {
    const { page } = await open('index.html');
    const first = page.locator('tbody tr').first();
    expect(await first.getAttribute('class')).toBe('state-failed');
    expect(await first.locator('td').nth(2).textContent()).toMatch(/✗ failed/);
    const color = await first
      .locator('td')
      .first()
      .evaluate((td) => getComputedStyle(td).color);
    expect(color).toBe('rgb(176, 0, 32)');
    await page.close();
  });

  it.each(pages)('%s passes axe-core (WCAG 2.1 AA) and fits a phone screen', async (pagePath) => {
    const { page } = await open(pagePath, 360);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({
      path: path.join(artefacts, `web-phone-${pagePath.replace(/\//g, '-')}.png`),
      fullPage: true,
    });
    // axe needs script: a second page, JavaScript on only for the check, at phone width too.
    const checked = await browser.newPage({ viewport: { width: 360, height: 800 } });
    await checked.goto(base + pagePath);
    await checked.addScriptTag({ content: readFileSync(axeSource, 'utf8') });
    const violations = await checked.evaluate(async () => {
      const axe = (window as unknown as { axe: { run: (o: unknown) => Promise<{ violations: unknown[] }> } })
        .axe;
      const result = await axe.run({
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa', 'best-practice'] },
      });
      return result.violations.map((v) => {
        const violation = v as { id: string; nodes: { target: string[] }[] };
        return `${violation.id}: ${violation.nodes.map((n) => n.target.join(' ')).join(', ')}`;
      });
    });
    expect(violations).toEqual([]);
    await checked.close();
    await page.close();
  });
});
