import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/photon.js';

// examples/ansible with the real ansible-playbook (Debian ansible-core) on two local-connection
// hosts. Every path the role touches comes from role variables pointing into a temporary
// directory; photon and the watchdog plugin come from `npm pack` tarballs of this checkout
// (their npm dependencies from npm's cache or registry). Time bound: about 2 minutes
// (npm installs from its cache; 3 on a 2-core machine shared with other builds).
const work = mkdtempSync(path.join(os.tmpdir(), 'photon-ansible-'));
const tarballs = path.join(work, 'tarballs');
const hostDir = (host: string) => path.join(work, host);
const crontabFile = path.join(work, 'gw1/crontab.txt');
const pinsFile = path.join(work, 'schedule.pins');

function run(cmd: string, args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  const r = spawnSync(cmd, args, {
    cwd: options.cwd ?? work,
    encoding: 'utf8',
    env: { ...process.env, ...options.env },
    timeout: 180_000,
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

/** The PLAY RECAP numbers of each host. */
function recap(out: string): Record<string, Record<string, number>> {
  const hosts: Record<string, Record<string, number>> = {};
  for (const match of out.matchAll(/^(\S+)\s+:\s+(.*)$/gm)) {
    hosts[match[1]] = Object.fromEntries(
      [...match[2].matchAll(/(\w+)=(\d+)/g)].map(([, key, value]) => [key, Number(value)]),
    );
  }
  return hosts;
}

function playbook(...extra: string[]) {
  return run(
    'ansible-playbook',
    ['-i', path.join(work, 'inventory.yml'), path.join(repoRoot, 'examples/ansible/site.yml'), ...extra],
    {
      env: {
        HOME: work,
        ANSIBLE_LOCAL_TEMP: path.join(work, '.ansible/tmp'),
        ANSIBLE_REMOTE_TEMP: path.join(work, '.ansible/tmp'),
        ANSIBLE_NOCOLOR: '1',
        ANSIBLE_RETRY_FILES_ENABLED: '0',
        npm_config_cache: path.join(os.homedir(), '.npm'),
      },
    },
  );
}

function hostVars(host: string, schedule: 'crontab' | 'systemd') {
  const dir = hostDir(host);
  const tgz = (name: string) => `file:${path.join(tarballs, `${name}-0.1.0.tgz`)}`;
  return {
    ansible_connection: 'local',
    ansible_python_interpreter: '/usr/bin/python3',
    photon_become: false,
    photon_install_node: false,
    photon_prefix: path.join(dir, 'usr'),
    photon_settings_dir: path.join(dir, 'etc/photon'),
    photon_data_dir: path.join(dir, 'var/lib/photon'),
    photon_plugins_dir: path.join(dir, 'var/lib/photon/plugins'),
    photon_unit_dir: path.join(dir, 'units'),
    photon_systemd_enable: false,
    photon_schedule: schedule,
    photon_schedule_pins: pinsFile,
    photon_package_sources: Object.fromEntries(
      ['cli', 'core', 'plugin-alfred', 'plugin-fastd', 'plugin-git', 'plugin-icvpn', 'plugin-web'].map(
        (p) => [`@ffphoton/${p}`, tgz(`ffphoton-${p}`)],
      ),
    ),
    photon_plugins: host === 'gw1' ? { 'photon-plugin-watchdog': tgz('photon-plugin-watchdog') } : {},
    photon_settings: {
      photon: { hostname: host, dataDir: path.join(dir, 'var/lib/photon') },
      fleet: {
        hosts: [
          { name: 'gw1', roles: ['gw', 'watchdog'] },
          { name: 'gw2', roles: ['gw'] },
        ],
        photon: [path.join(dir, 'usr/bin/photon')],
        logDir: path.join(dir, 'log'),
        crontab: [path.join(work, 'fake-crontab')],
        jobs: [
          { name: 'web-site', hosts: 'all', command: ['photon', 'web', 'build'], cadence: 'every 5m' },
          {
            name: 'snapshot',
            hosts: 'all',
            command: ['photon', 'git', 'snapshot'],
            cadence: '23 5,23 * * *',
            spread: 'minute',
          },
          // Stateless, two hosts split the week 4/3; the pins give gw1 Wednesday only.
          {
            name: 'selfupgrade',
            hosts: 'all',
            command: ['photon', 'selfupgrade'],
            cadence: '42 19 * * U',
            spread: 'weekday',
          },
          {
            name: 'watchdog-services',
            hosts: 'watchdog',
            command: ['photon', 'watchdog', 'services'],
            cadence: 'every 5m',
          },
        ],
      },
    },
  };
}

beforeAll(() => {
  mkdirSync(tarballs, { recursive: true });
  const workspaces = [
    'core',
    'cli',
    'plugin-git',
    'plugin-icvpn',
    'plugin-fastd',
    'plugin-alfred',
    'plugin-web',
  ];
  const packed = run(
    'npm',
    [
      'pack',
      '--silent',
      // No prepack (`oclif manifest` per package, a minute on a busy machine): photon reads its commands without it.
      '--ignore-scripts',
      '--pack-destination',
      tarballs,
      ...workspaces.flatMap((w) => ['--workspace', `packages/${w}`]),
      '--workspace',
      'examples/plugin-watchdog',
    ],
    { cwd: repoRoot },
  );
  expect(packed.code, packed.out).toBe(0);
  // crontab(1) for one file: `-l` prints it, `-` replaces it (what photon's installer calls).
  const fake = path.join(work, 'fake-crontab');
  writeFileSync(
    fake,
    `#!/bin/sh\ncase "$1" in\n  -l) [ -f '${crontabFile}' ] && exec cat '${crontabFile}'; echo "no crontab for $(id -un)" >&2; exit 1 ;;\n  -) cat > '${crontabFile}' ;;\n  *) exit 2 ;;\nesac\n`,
  );
  chmodSync(fake, 0o755);
  writeFileSync(pinsFile, 'weekdays:\n  selfupgrade:\n    gw1: [3]\n    gw2: [0, 1, 2, 4, 5, 6]\n');
  const inventory = {
    all: {
      children: { photon: { hosts: { gw1: hostVars('gw1', 'crontab'), gw2: hostVars('gw2', 'systemd') } } },
    },
  };
  writeFileSync(path.join(work, 'inventory.yml'), JSON.stringify(inventory, null, 2));
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('examples/ansible: the photon role with the real ansible-playbook', () => {
  it('changes nothing in check mode on new hosts', () => {
    const r = playbook('--check');
    expect(r.code, r.out).toBe(0);
    expect(recap(r.out).gw1?.failed).toBe(0);
    expect(existsSync(path.join(hostDir('gw1'), 'usr'))).toBe(false);
    expect(existsSync(crontabFile)).toBe(false);
  }, 120_000);

  it('installs photon, settings, plugins and the schedule; a second run changes nothing', () => {
    const first = playbook();
    expect(first.code, first.out).toBe(0);
    const gw1 = hostDir('gw1');
    const photon = (host: string, ...args: string[]) =>
      run(path.join(hostDir(host), 'usr/bin/photon'), args, {
        env: {
          PHOTON_DATA_DIR: path.join(hostDir(host), 'var/lib/photon'),
          PHOTON_PLUGINS_DIR: path.join(hostDir(host), 'var/lib/photon/plugins'),
          HOME: work,
        },
      });
    expect(photon('gw1', '--version').out).toMatch(/^@ffphoton\/cli\/0\.1\.0/);
    expect(readFileSync(path.join(gw1, 'etc/photon/photon.yaml'), 'utf8')).toMatch(/hostname: gw1/);
    // The plugin is installed where photon finds it: its command runs.
    expect(photon('gw1', 'watchdog', 'services', '--help').code).toBe(0);
    // gw1: its own crontab lines between the markers; the watchdog job is gw1's only.
    const crontab = readFileSync(crontabFile, 'utf8');
    expect(crontab).toMatch(
      /# BEGIN photon schedule[\s\S]*web build[\s\S]*watchdog services[\s\S]*# END photon schedule/,
    );
    // The pins reached the host: gw1 upgrades on its pinned Wednesday only.
    expect(readFileSync(path.join(gw1, 'etc/photon/schedule.pins'), 'utf8')).toBe(
      readFileSync(pinsFile, 'utf8'),
    );
    expect(crontab).toMatch(/^\S+ \S+ \* \* 3 .*selfupgrade/m);
    // gw2: systemd units in its unit directory, no watchdog.
    const units = readdirSync(path.join(hostDir('gw2'), 'units')).sort();
    expect(units).toContain('photon-web-site.timer');
    expect(units.some((u) => u.includes('watchdog'))).toBe(false);

    const second = playbook();
    expect(second.code, second.out).toBe(0);
    const again = recap(second.out);
    expect(again.gw1).toMatchObject({ changed: 0, failed: 0 });
    expect(again.gw2).toMatchObject({ changed: 0, failed: 0 });
  }, 240_000);
});
