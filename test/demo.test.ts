import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/photon.js';

// The demo runs once, into a temp dir (PHOTON_DEMO_DIR), and both tests look at that run.
describe('npm run demo', () => {
  const demo = mkdtempSync(path.join(os.tmpdir(), 'photon-e2e-demo-'));
  const root = path.join(demo, 'root');
  let run: SpawnSyncReturns<string>;

  beforeAll(() => {
    run = spawnSync(process.execPath, ['scripts/demo.mjs'], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 240_000,
      env: { ...process.env, PHOTON_DEMO_DIR: demo },
    });
  }, 250_000);
  // PHOTON_KEEP_DEMO=1 keeps the sandbox and the screenshots (demo-*.png) for a look.
  afterAll(() => {
    if (process.env.PHOTON_KEEP_DEMO) console.log(`demo kept in ${demo}`);
    else rmSync(demo, { recursive: true, force: true });
  });

  it('runs one whole gateway cycle of the example community in its sandbox', () => {
    expect(run.status, run.stdout + run.stderr).toBe(0);
    for (const job of [
      'settings',
      'icvpn',
      'fastd keys',
      'fastd limit',
      'fastd status',
      'git snapshot',
      'web site',
      'schedule',
    ]) {
      expect(run.stdout).toMatch(new RegExp(`✓  ${job}\\s+exit 0`));
    }
    // The status site has real traffic data and system commands that work in the sandbox.
    expect(run.stdout).toMatch(/✓ {2}web site\s+exit 0 .*, 0 note\(s\)/);
    // The other gateways' status pages count (served as {"<instance>": {"peers": N}}): with all four
    // gateways online the limit is their average plus `additional` once, not once per gateway.
    const status = JSON.parse(
      readFileSync(path.join(repoRoot, 'packages/plugin-fastd/test-data/status-gw-tap.raw.json'), 'utf8'),
    ) as { peers: Record<string, { connection: unknown }> };
    const own = Object.values(status.peers).filter((p) => p.connection).length;
    const remote = ['lotuswurzel', 'spinat', 'wasserfloh'].map((gateway) => 20 + gateway.length);
    const limit = Math.floor((own + remote.reduce((a, b) => a + b, 0)) / 4) + 8;
    expect(readFileSync(path.join(root, 'etc/fastd/mzvpn-1406/peer_limit.conf'), 'utf8')).toMatch(
      new RegExp(`^peer limit ${limit};$`, 'm'),
    );
    // The host's own data stays out of the snapshot: the demo removes the example's commands.
    const snapshot = spawnSync(
      'git',
      ['-C', path.join(demo, 'remotes/gateway-configs.git'), 'ls-tree', '-r', '--name-only', 'HEAD'],
      { encoding: 'utf8' },
    ).stdout.split('\n');
    expect(snapshot).toContain('kaschu/uname');
    expect(snapshot.filter((f) => /package_list|crontab/.test(f))).toEqual([]);
    expect(existsSync(path.join(root, 'etc/bird/icvpn_ipv4_peers.conf'))).toBe(true);
    expect(readFileSync(path.join(root, 'var/www/html/index.html'), 'utf8')).toContain('Freifunk Mainz');
  });

  it('builds a status site whose three pages show no error note, the traffic page with its charts', async () => {
    expect(run.status, run.stdout + run.stderr).toBe(0);
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--headless',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
      ],
    });
    try {
      const webRoot = path.join(root, 'var/www/html');
      for (const page of ['index', 'traffic', 'system']) {
        const tab = await browser.newPage({
          viewport: { width: 1280, height: 900 },
          javaScriptEnabled: false,
        });
        const errors: string[] = [];
        tab.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
        const file = path.join(webRoot, page === 'index' ? 'index.html' : `${page}/index.html`);
        await tab.goto(pathToFileURL(file).href);
        await tab.screenshot({ path: path.join(demo, `demo-${page}.png`), fullPage: true });
        expect(await tab.locator('.note').allTextContents(), page).toEqual([]);
        expect(errors, page).toEqual([]);
        if (page === 'traffic') {
          // Each interface the site draws (the configured ones and fastd's) has its four charts with bars.
          const sections = tab.locator('section.card');
          expect(await sections.locator('h2').allTextContents()).toEqual([
            'eth0',
            'exitVPN',
            'icVPN',
            'mzVPN',
            'wiVPN',
          ]);
          for (const section of await sections.all()) {
            const charts = section.locator('svg[role="img"]');
            expect(await charts.count()).toBe(4);
            for (const chart of await charts.all())
              expect(await chart.locator('rect').count()).toBeGreaterThan(0);
          }
        }
        if (page === 'system') {
          const outputs = await tab.locator('section.card pre').allTextContents();
          expect(outputs.join('\n')).toContain('B.A.T.M.A.N. adv');
          expect(await tab.locator('section.card').count()).toBe(6);
        }
        await tab.close();
      }
    } finally {
      await browser.close();
    }
  });
});
