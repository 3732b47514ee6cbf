import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Journal } from '@ffphoton/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM helper shared with bench/web.mjs
import { createVnstatDb } from '../../../test-data/vnstat-db.mjs';
import type { WebBuildResult } from '../../services/site-builder.js';
import { journalRecord } from '../../test-helpers/journal-record.js';
import { runCommand, tempDir, writeSettings } from '../../test-helpers/run-command.js';
import WebBuild from './build.js';

describe('photon web build (real vnstat, real commands, oclif hooks)', () => {
  const dir = tempDir('build');
  const root = path.join(dir, 'root');
  let settings: string;

  beforeAll(async () => {
    mkdirSync(path.join(root, 'var/www/html/firmware'), { recursive: true });
    mkdirSync(path.join(dir, 'vnstat'));
    writeFileSync(
      path.join(root, 'var/www/exitvpn.yaml'),
      "accounts: {a: {login: x, provider: P, until: '01.01.2020'}, b: {login: y, provider: Q, until: '01.01.2999'}}\n",
    );
    const vnstat = createVnstatDb(path.join(dir, 'vnstat'), ['eth0', 'mzVPN', '<script>x'], { days: 60 });
    const journal = new Journal(path.join(root, 'var/lib/photon/runs'), 10);
    await journal.write(journalRecord('fastd-limit', 'ok', '2026-01-01T10:00:00.000Z'));
    await journal.write(journalRecord('icvpn-update', 'failed', '2026-01-01T09:00:00.000Z'));
    settings = writeSettings(dir, {
      photon: { hostname: 'gw1', dataDir: '/var/lib/photon' },
      fastd: { instances: [{ name: 'mz', interface: 'mzVPN', configFile: '/x', statusSocket: '/y' }] },
      web: {
        brand: 'Freifunk Testhausen',
        accounts: { file: '/var/www/exitvpn.yaml' },
        links: [{ href: 'https://example.org/map', text: 'Map' }],
        statusTimeoutSeconds: 4,
        system: {
          timeoutSeconds: 4,
          commands: [
            { argv: ['sh', '-c', 'echo "<script>alert(1)</script>"; echo "warn <b>" >&2'] },
            { title: 'hangs', argv: ['sleep', '30'] },
            { argv: ['false'] },
            { argv: ['/nonexistent/program'] },
          ],
        },
        traffic: { interfaces: ['eth0', '<script>x', 'nosuch0'], vnstat },
      },
    });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const page = (p: string) => readFileSync(path.join(root, 'var/www/html', p), 'utf8');

  it('writes three pages with notes in place of every broken part', async () => {
    const run = await runCommand<WebBuildResult>(WebBuild, ['--config', settings, '--root', root, '--json']);
    expect(run.exitCode).toBe(0);
    const r = run.output.result!;
    expect(r.pages.map((p) => [p.path, p.changed])).toEqual([
      ['/var/www/html/index.html', true],
      ['/var/www/html/traffic/index.html', true],
      ['/var/www/html/system/index.html', true],
    ]);
    expect(r.interfaces).toEqual(['eth0', '<script>x', 'mzVPN']);
    expect(r.notes).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^system: hangs: Timed out after 4 s/),
        expect.stringMatching(/^system: false: Failed \(exit 1\)/),
        expect.stringMatching(/^system: \/nonexistent\/program: Could not be started/),
        'traffic: Interface nosuch0 is not in the vnstat database; skipped.',
      ]),
    );
    const system = page('system/index.html');
    expect(system).not.toContain('<script>');
    expect(system).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(system).toContain('warn &lt;b&gt;');
    const traffic = page('traffic/index.html');
    expect(traffic).not.toContain('<script>');
    expect(traffic).toContain('<h2 id="if-_3cscript_3ex">&lt;script&gt;x</h2>');
    expect(traffic.match(/<svg /g)).toHaveLength(12);
  });

  it('shows the journal (failures first) and every plugin section, unavailable ones included', async () => {
    const run = await runCommand<WebBuildResult>(WebBuild, ['--config', settings, '--root', root, '--json']);
    const { tasks, sections } = run.output.result!.health;
    expect(tasks.map((t) => [t.task, t.state])).toEqual([
      ['icvpn-update', 'failed'],
      ['fastd-limit', 'ok'],
      // the first build of this file was journaled too
      ['webbuild', 'ok'],
    ]);
    const states = sections.map((s) => [s.title, s.state]);
    expect(states).toContainEqual(['fastd', 'ok']);
    expect(sections.find((s) => s.id === 'accounts')).toMatchObject({
      state: 'failed',
      summary: '1 overdue, 0 expiring soon, 1 good, 0 bad entries',
    });
    expect(states.filter(([, state]) => state === 'unavailable')).toHaveLength(3);
    expect(sections.map((s) => s.summary)).toEqual(
      expect.arrayContaining([
        'unavailable: status socket /run/broken.sock is gone',
        'unavailable: Timed out after 4000 ms.',
        expect.stringMatching(/^unavailable: reported an invalid section/),
      ]),
    );
    const landing = page('index.html');
    expect(landing).toContain('<title>Freifunk Testhausen · gw1</title>');
    expect(landing).toMatch(/<tr class="state-failed" id="task-icvpn-update">/);
    expect(landing).toContain('href="firmware"');
    expect(landing).not.toContain('href="_archive"');
    expect(landing).not.toMatch(/<script|<img/);
  });

  it('--dry-run writes nothing, --strict exits 5 when a part is a note, a relative root exits 2', async () => {
    const fresh = path.join(dir, 'fresh');
    mkdirSync(fresh);
    const dry = await runCommand<WebBuildResult>(WebBuild, [
      '--config',
      settings,
      '--root',
      fresh,
      '--dry-run',
      '--json',
    ]);
    expect(dry.exitCode).toBe(0);
    expect(dry.output.changes.files.map((f) => f.path)).toContain('/var/www/html/index.html');
    expect(() => readFileSync(path.join(fresh, 'var/www/html/index.html'))).toThrow(/ENOENT/);
    const strict = await runCommand<WebBuildResult>(WebBuild, [
      '--config',
      settings,
      '--root',
      root,
      '--strict',
      '--json',
    ]);
    expect(strict.exitCode).toBe(5);
    const relative = writeSettings(dir, { web: { root: 'www' } });
    const bad = await runCommand<WebBuildResult>(WebBuild, ['--config', relative, '--root', root, '--json']);
    expect(bad.exitCode).toBe(2);
    expect(bad.output.error?.message).toMatch(/web\.root: expected an absolute path/);
  });

  it('a web root that cannot take the site fails before any page changes', async () => {
    const broken = path.join(dir, 'broken');
    mkdirSync(path.join(broken, 'var/www/html'), { recursive: true });
    writeFileSync(path.join(broken, 'var/www/html/index.html'), 'old site');
    writeFileSync(path.join(broken, 'var/www/html/traffic'), 'a file where a directory belongs');
    const run = await runCommand<WebBuildResult>(WebBuild, [
      '--config',
      settings,
      '--root',
      broken,
      '--json',
    ]);
    expect(run.exitCode).toBe(1);
    expect(readFileSync(path.join(broken, 'var/www/html/index.html'), 'utf8')).toBe('old site');
  });

  it('vnstat missing or printing garbage leaves a note, never a broken page', async () => {
    for (const vnstat of [
      ['/nonexistent/vnstat', '--json'],
      ['echo', '{"not":"vnstat"}'],
      ['sh', '-c', 'echo garbage; exit 1'],
    ]) {
      const bad = writeSettings(dir, {
        photon: { hostname: 'gw1', dataDir: '/var/lib/photon' },
        web: {
          statusTimeoutSeconds: 1,
          system: { commands: [{ argv: ['true'] }] },
          traffic: { interfaces: ['eth0'], vnstat },
        },
      });
      const run = await runCommand<WebBuildResult>(WebBuild, ['--config', bad, '--root', root, '--json']);
      expect(run.exitCode).toBe(0);
      expect(run.output.result!.notes.filter((n) => n.startsWith('traffic:'))).toHaveLength(1);
      expect(page('traffic/index.html')).toMatch(
        /<p class="note">.*(could not be started|no vnstat 2 JSON|failed \(exit 1\))/,
      );
    }
  });
});
