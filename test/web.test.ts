import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
// @ts-expect-error plain ESM helper shared with the plugin-web tests and bench/web.mjs
import { createVnstatDb } from '../packages/plugin-web/test-data/vnstat-db.mjs';
import { exampleConfig, photon, sandbox } from './helpers/photon.js';

describe('photon web (built binary, example fleet settings, real vnstat)', () => {
  const { root, env } = sandbox('photon-e2e-web-');
  const override = path.join(root, 'override.yaml');

  beforeAll(() => {
    mkdirSync(path.join(root, 'vnstat'));
    mkdirSync(path.join(root, 'srv'));
    const vnstat = createVnstatDb(path.join(root, 'vnstat'), ['eth0', 'exitVPN', 'icVPN', 'mzVPN', 'wiVPN'], {
      days: 60,
    });
    writeFileSync(
      path.join(root, 'srv/exitvpn.yaml'),
      "accounts: {a: &A {login: x, provider: P, until: '01.01.2020'}}\ngateways: {gw1: *A}\n",
    );
    writeFileSync(
      override,
      YAML.stringify({
        photon: { hostname: 'gw1' },
        mail: { transport: 'file', to: ['admin@example.org'] },
        web: {
          system: {
            commands: [{ argv: ['uptime'] }, { argv: ['sh', '-c', 'echo "<script>alert(1)</script>"'] }],
          },
          traffic: { vnstat },
          accounts: { file: '/srv/exitvpn.yaml' },
        },
      }),
    );
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('web build draws the configured and the fastd interfaces, noting the one vnstat lacks', async () => {
    const run = await photon(
      ['web', 'build', '-c', exampleConfig, '-c', override, '--root', root, '--json'],
      { env },
    );
    expect(run.code, run.stderr).toBe(0);
    const { result } = JSON.parse(run.stdout);
    expect(result.interfaces).toEqual(['eth0', 'exitVPN', 'icVPN', 'mzVPN', 'wiVPN']);
    expect(result.notes).toContain('traffic: Interface mwuVPN is not in the vnstat database; skipped.');
    expect(result.health.sections).toContainEqual(
      expect.objectContaining({
        id: 'accounts',
        state: 'failed',
        summary: expect.stringMatching(/^1 overdue/),
      }),
    );
    const index = readFileSync(path.join(root, 'var/www/html/index.html'), 'utf8');
    expect(index).toContain('<title>Freifunk Mainz, Wiesbaden &amp; Umgebung · gw1</title>');
    const system = readFileSync(path.join(root, 'var/www/html/system/index.html'), 'utf8');
    expect(system).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(system).not.toContain('<script>');
  });

  it('web accounts mails the overdue account through the configured transport', async () => {
    const run = await photon(
      ['web', 'accounts', '-c', exampleConfig, '-c', override, '--root', root, '--json'],
      {
        env,
      },
    );
    expect(run.code, run.stderr).toBe(0);
    // The account file's digest day is Monday (digestday 0): then the weekly digest carries it.
    const reason = new Date().getDay() === 1 ? 'digest-day' : 'attention';
    expect(JSON.parse(run.stdout).result).toMatchObject({ reason, mail: { sent: true } });
    const outbox = path.join(root, 'var/spool/photon/outbox');
    const [eml] = readdirSync(outbox);
    const mail = readFileSync(path.join(outbox, eml), 'utf8');
    expect(mail).toMatch(/^Subject: exit-VPN accounts \(gw1\): 1 overdue, 0 warning, 0 invalid/m);
    expect(mail).toMatch(/^Cc: kontakt@freifunk-mainz.de, info@freifunk-wiesbaden.de/m);
    expect(mail).toContain('OVERDUE:');
  });
});
