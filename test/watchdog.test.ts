import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { photonSync, repoRoot } from './helpers/photon.js';

const repo = repoRoot;
const plugin = path.join(repo, 'examples/plugin-watchdog');
const work = mkdtempSync(path.join(os.tmpdir(), 'photon-watchdog-e2e-'));

function run(cmd: string, args: string[], dataDir: string, cwd = repo) {
  const r = spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, PHOTON_DATA_DIR: dataDir },
    timeout: 240_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
// Each test its own journal and plugin directory.
const photon = (dataDir: string, ...args: string[]) =>
  photonSync(args, {
    env: { PHOTON_DATA_DIR: dataDir, PHOTON_PLUGINS_DIR: path.join(dataDir, 'plugins') },
    timeoutMs: 240_000,
  });

// Real ping through loopback; batctl, DHCP and the service manager are replaced by echo/sh.
const config = path.join(work, 'watchdog.yaml');
const marker = path.join(work, 'bind-running');
writeFileSync(
  config,
  `photon:
  services:
    restart: [sh, -c, 'touch ${marker}', '{unit}']
    isActive: ['true']
watchdog:
  services:
    - { name: bind, check: [sh, -c, '[ -e ${marker} ] || rndc -s 127.0.0.1 -p 1 status'], unit: bind9 }
    - { name: radvd, check: ['true'], unit: radvd }
  exitvpn:
    interface: lo
    count: 1
    targets: [127.0.0.1, 127.0.0.2]
    meshInterfaces: [mzBAT, wiBAT]
    gwServer: [echo, server, '{meshif}']
    gwOff: [echo, 'off', '{meshif}']
`,
);

function exercise(dataDir: string) {
  const vpn = photon(dataDir, 'watchdog', 'exitvpn', '--config', config, '--json');
  expect(vpn.code, vpn.stderr).toBe(0);
  expect(JSON.parse(vpn.stdout).result).toMatchObject({
    up: 2,
    targets: 2,
    connected: true,
    gatewayMode: 'server',
    meshInterfaces: ['mzBAT', 'wiBAT'],
  });
  rmSync(marker, { force: true });
  const down = photon(dataDir, 'watchdog', 'services', '--config', config, '--json');
  expect(down.code).toBe(5);
  expect(JSON.parse(down.stdout).result).toEqual([
    { name: 'bind', unit: 'bind9', state: 'restarted' },
    { name: 'radvd', unit: 'radvd', state: 'up' },
  ]);
  const up = photon(dataDir, 'watchdog', 'services', '--config', config, '--json');
  expect(up.code, up.stderr).toBe(0);
  expect(JSON.parse(photon(dataDir, 'history', 'watchdog-services', '--json').stdout).result).toHaveLength(2);
}

describe('photon-plugin-watchdog as a community plugin', () => {
  let tarballs: string;

  beforeAll(() => {
    tarballs = mkdtempSync(path.join(work, 'packs-'));
    const packed = run('npm', ['pack', '--pack-destination', tarballs], work, plugin);
    expect(packed.code, packed.stderr).toBe(0);
  }, 240_000);

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('works after `photon plugins link`', () => {
    const dataDir = mkdtempSync(path.join(work, 'link-'));
    const linked = photon(dataDir, 'plugins', 'link', plugin);
    expect(linked.code, linked.stderr).toBe(0);
    const listed = photon(dataDir, 'plugins');
    expect(listed.stdout).toMatch(/photon-plugin-watchdog 0\.1\.0 \(link\)/);
    // No "linked ESM module cannot be auto-transpiled" (cron would mail it on every run).
    expect(listed.stderr).toBe('');
    exercise(dataDir);
    // --dry-run still pings, but neither batctl nor the DHCP service runs.
    expect(photon(dataDir, 'watchdog', 'exitvpn', '--config', config, '--dry-run').code).toBe(0);
  }, 240_000);

  it("works after `photon plugins install` from the packed tarball, with photon's own core", () => {
    const dataDir = mkdtempSync(path.join(work, 'install-'));
    // Its peer dependency @ffphoton/core is the running photon's (no registry has it here).
    // plugin-plugins (and plugin-autocomplete's postinstall hook) run on the bundled oclif.
    const installed = photonSync(
      ['plugins', 'install', path.join(tarballs, 'photon-plugin-watchdog-0.1.0.tgz')],
      {
        env: { PHOTON_DATA_DIR: dataDir, PHOTON_PLUGINS_DIR: path.join(dataDir, 'plugins') },
        timeoutMs: 240_000,
        nodeArgs: ['--require', path.join(repo, 'test/helpers/print-oclif-copies.cjs')],
      },
    );
    expect(installed.code, installed.stderr).toBe(0);
    expect(installed.stderr).not.toMatch(/warn/i);
    expect(installed.stderr.trimEnd().split('\n').at(-1)).toBe(
      'oclif: hooks oclif-hooks.mjs; unbundled @oclif/core files 0',
    );
    expect(photon(dataDir, 'plugins').stdout).toMatch(/photon-plugin-watchdog 0\.1\.0/);
    exercise(dataDir);
    const removed = photon(dataDir, 'plugins', 'uninstall', 'photon-plugin-watchdog');
    expect(removed.code, removed.stderr).toBe(0);
    expect(photon(dataDir, 'watchdog', 'exitvpn', '--config', config).code).not.toBe(0);
  }, 240_000);
});
