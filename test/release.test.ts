import { spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/photon.js';
import { type LocalRegistry, startRegistry } from './helpers/registry.js';

// A release as users get it: every @ffphoton package and the example plugin published to a real
// npm registry (Verdaccio on loopback, storage in this test's temp dir; other packages through its
// npmjs uplink), then installed the way the README says. Time bound: about 2–3 minutes on 2 cores,
// mostly npm installs.
const PUBLISHED = [
  'packages/core',
  'packages/plugin-git',
  'packages/plugin-icvpn',
  'packages/plugin-fastd',
  'packages/plugin-alfred',
  'packages/plugin-web',
  'packages/cli',
  'examples/plugin-watchdog',
];

const work = mkdtempSync(path.join(os.tmpdir(), 'photon-release-'));
const prefix = path.join(work, 'prefix');
const photonBin = path.join(prefix, 'bin', 'photon');
// Plugins go to one directory whatever the journal's PHOTON_DATA_DIR is (root's default is
// /var/lib/photon/plugins; a test must not touch the host's).
const pluginsDir = path.join(work, 'plugins');
let registry: LocalRegistry;
/** The starter plugin's tarball, from `npm pack`. */
let packed: string;

function run(argv: string[], env: Record<string, string>, cwd = work) {
  const r = spawnSync(argv[0], argv.slice(1), { cwd, encoding: 'utf8', env, timeout: 180_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** An admin's shell: their environment, npm configured for the registry, no PHOTON_DATA_DIR. */
const shell = (...args: string[]) =>
  run([photonBin, ...args], {
    ...(process.env as Record<string, string>),
    ...registry.env,
    PHOTON_DATA_DIR: '',
    PHOTON_PLUGINS_DIR: pluginsDir,
    NO_COLOR: '1',
    // As in an admin's shell: vitest's NODE_ENV=test turns on oclif's developer warnings (e.g.
    // "did not parse its arguments" from @oclif/plugin-autocomplete's cache refresh).
    NODE_ENV: '',
  });
/** A cron job: `env -i` plus the example fleet's variables (examples/community/fleet.yaml). */
const cron = (...args: string[]) =>
  run([photonBin, ...args], {
    PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin`,
    PHOTON_DATA_DIR: path.join(work, 'var-lib-photon'),
    PHOTON_PLUGINS_DIR: pluginsDir,
  });

const watchdogConfig = path.join(work, 'watchdog.yaml');
writeFileSync(
  watchdogConfig,
  `watchdog:
  exitvpn:
    interface: lo
    count: 1
    targets: [127.0.0.1, '::1']
    meshInterfaces: [bat0]
    gwServer: [echo, server, '{meshif}']
    gwOff: [echo, 'off', '{meshif}']
photon:
  services:
    isActive: ['true']
`,
);

/** Every @ffphoton/core directory under `dir` that is a real copy rather than a link to photon's. */
function coreCopies(dir: string): string[] {
  const found: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (
        full.endsWith(`node_modules${path.sep}@ffphoton${path.sep}core`) &&
        !lstatSync(full).isSymbolicLink()
      ) {
        found.push(full);
      } else if (entry.isDirectory()) walk(full);
    }
  };
  walk(dir);
  return found;
}

describe('a release through a real npm registry', () => {
  beforeAll(async () => {
    registry = await startRegistry(work);
    await Promise.all(PUBLISHED.map((dir) => registry.npmAsync(path.join(repoRoot, dir), 'publish')));
  }, 240_000);

  afterAll(async () => {
    await registry?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('installs the CLI alone with npm install -g, plugins by name, and runs them from a shell and from cron', () => {
    registry.npm(work, 'install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', '@ffphoton/cli');
    const version = shell('--version');
    expect(version.stdout).toMatch(/^@ffphoton\/cli\/0\.1\.0 /);

    const installed = shell('plugins', 'install', 'photon-plugin-watchdog');
    expect(installed.code, installed.stderr).toBe(0);
    // No "prepare script did not produce all the expected files" or other warnings.
    expect(installed.stderr).not.toMatch(/warn/i);

    // One @ffphoton/core in the process: the plugin directory links photon's own copy.
    const photonCore = path.join(prefix, 'lib/node_modules/@ffphoton/cli/node_modules/@ffphoton/core');
    expect(realpathSync(path.join(pluginsDir, 'node_modules/@ffphoton/core'))).toBe(realpathSync(photonCore));
    expect(coreCopies(pluginsDir)).toEqual([]);
    // …and the CLI and its bundled plugins share that one (no bundledDependencies, one version).
    expect(coreCopies(prefix)).toEqual([photonCore]);

    for (const [where, photon] of [
      ['shell', shell],
      ['cron', cron],
    ] as const) {
      const vpn = photon('watchdog', 'exitvpn', '--config', watchdogConfig, '--json', '--dry-run');
      expect(vpn.code, `${where}: ${vpn.stderr}`).toBe(0);
      expect(vpn.stderr, where).toBe('');
      expect(JSON.parse(vpn.stdout).result).toMatchObject({ up: 2, targets: 2, connected: true });
    }
    expect(cron('doctor', '--json').stdout).toContain(pluginsDir);
  }, 240_000);

  it('a plugin made with `photon plugins new` builds, tests and packs outside the repository and installs by name', () => {
    const dir = path.join(work, 'barcheck');
    const made = shell('plugins', 'new', 'photon-plugin-barcheck', '--dir', dir);
    expect(made.code, made.stderr).toBe(0);
    registry.npm(dir, 'install', '--no-audit', '--no-fund');
    registry.npm(dir, 'test');
    // `npm pack` output ends with the tarball's name (after the prepack build's output).
    packed = path.join(dir, registry.npm(dir, 'pack').trim().split('\n').at(-1) ?? '');
    registry.npm(dir, 'publish', packed);

    const installed = shell('plugins', 'install', 'photon-plugin-barcheck');
    expect(installed.code, installed.stderr).toBe(0);
    expect(installed.stderr).not.toMatch(/warn/i);
    const root = path.join(work, 'gateway');
    mkdirSync(root);
    writeFileSync(path.join(work, 'hostname'), 'gw01\n');
    const config = path.join(work, 'barcheck.yaml');
    writeFileSync(config, `barcheck:\n  files: [${path.join(work, 'hostname')}]\n`);
    const checked = cron('barcheck', 'check', '--config', config, '--json');
    expect(checked.code, checked.stderr).toBe(0);
    expect(checked.stderr).toBe('');
    expect(JSON.parse(checked.stdout).result).toEqual([{ path: path.join(work, 'hostname'), exists: true }]);
    expect(cron('barcheck', 'check', '--root', root, '--json').code).toBe(5);
  }, 240_000);

  it('installs a packed tarball by its path at once (not read as a GitHub address)', () => {
    expect(shell('plugins', 'uninstall', 'photon-plugin-barcheck').code).toBe(0);
    const started = Date.now();
    const installed = shell('plugins', 'install', packed);
    expect(installed.code, installed.stderr).toBe(0);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(shell('plugins').stdout).toMatch(/photon-plugin-barcheck 0\.1\.0/);
  }, 120_000);

  it('installs the man pages and a working shell completion with the CLI (issue 20)', () => {
    const manDir = path.join(prefix, 'share/man');
    for (const page of ['photon', 'photon-fastd-limit', 'photon-config-validate']) {
      const r = spawnSync('man', ['-M', manDir, page], {
        encoding: 'utf8',
        env: { ...process.env, MANPAGER: 'cat', PAGER: 'cat', MANWIDTH: '120' },
      });
      expect({ page, code: r.status, stderr: r.stderr }).toEqual({ page, code: 0, stderr: '' });
      expect(r.stdout).toContain(page === 'photon' ? 'photon fastd limit' : 'EXAMPLES');
    }
    const completion = shell('autocomplete', 'script', 'bash');
    expect(completion.code, completion.stderr).toBe(0);
    expect(completion.stdout).toContain('PHOTON_AC_BASH_SETUP_PATH=');
  });

  it('selfupgrade --dry-run names the prefix photon was installed into and the registry', () => {
    const config = path.join(work, 'upgrade.yaml');
    writeFileSync(config, 'selfupgrade:\n  allowUnattended: true\n');
    const planned = shell('selfupgrade', '--dry-run', '--config', config, '--json');
    expect(planned.code, planned.stderr).toBe(0);
    const { result } = JSON.parse(planned.stdout);
    expect(result).toMatchObject({ prefix, registry: registry.url, dryRun: true });
    expect(result.commands[0]).toBe(`npm install -g --prefix ${prefix} @ffphoton/cli@latest`);
  }, 120_000);
});
