import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exampleConfig, photonSync } from './helpers/photon.js';

const work = mkdtempSync(path.join(os.tmpdir(), 'photon-doctor-jobs-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** `photon doctor --json` as host `host` with these settings, sandboxed. */
function doctor(host: string, ...config: string[]) {
  const r = photonSync(['doctor', '--json', ...config.flatMap((c) => ['--config', c])], {
    env: { HOME: work, PHOTON_DATA_DIR: path.join(work, 'data'), PHOTON_PHOTON__HOSTNAME: host },
  });
  const output = JSON.parse(r.stdout) as {
    result?: { checks: { check: string; status: string; detail: string }[] };
    error?: { message: string };
  };
  const jobs = (output.result?.checks ?? []).filter((c) => c.check.startsWith('job '));
  const missing = jobs.filter((c) => c.status === 'missing');
  return { code: r.code, out: r.stdout + r.stderr, jobs, missing, error: output.error?.message ?? '' };
}

describe('photon doctor checks the scheduled jobs of this host', () => {
  it('names each broken job: unknown command, missing program, invalid settings', () => {
    const file = path.join(work, 'fleet.yaml');
    writeFileSync(
      file,
      `fleet:
  hosts: [{ name: gw1, roles: [gw] }, { name: gw2, roles: [gw] }]
  jobs:
    - { name: ghost-command, hosts: gw, command: [photon, nosuch, thing], cadence: every 5m }
    - { name: ghost-program, hosts: gw, command: [/usr/bin/no-such-program-here, -v], cadence: daily }
    - { name: ghost-service, hosts: gw, command: [photon, nosuch, serve], cadence: always }
    - { name: fastd-limit, hosts: gw, command: [photon, fastd, limit], cadence: every 5m }
    - { name: web-site, hosts: [gw1], command: [photon, web, build], cadence: every 5m }
    - { name: elsewhere, hosts: [gw2], command: [photon, nosuch, other], cadence: daily }
fastd:
  limit: { additional: -1 }
`,
    );
    const r = doctor('gw1', file);
    expect(r.code, r.out).toBe(5);
    expect(r.missing.map((c) => c.check).sort()).toEqual([
      'job fastd-limit',
      'job ghost-command',
      'job ghost-program',
      'job ghost-service',
    ]);
    const detail = (job: string) => r.jobs.find((c) => c.check === `job ${job}`)?.detail;
    expect(detail('ghost-command')).toMatch(/photon nosuch thing: no such photon command/);
    expect(detail('ghost-program')).toMatch(/\/usr\/bin\/no-such-program-here/);
    expect(detail('fastd-limit')).toMatch(/settings fastd: .*fastd\.limit\.additional/);
    // A job of this host that is fine is reported ok; another host's jobs are not this host's business.
    expect(r.jobs.find((c) => c.check === 'job web-site')?.status).toBe('ok');
    expect(r.jobs.some((c) => c.check === 'job elsewhere')).toBe(false);
    expect(r.error).toMatch(/job ghost-command/);
  });

  it('on the example fleet: plugin jobs only where the plugin is installed', () => {
    // Kaschu has the role `watchdog` (it installs the community plugin, not installed here).
    const kaschu = doctor('Kaschu', exampleConfig);
    expect(kaschu.code, kaschu.out).toBe(5);
    expect(kaschu.missing.map((c) => c.check)).toEqual(
      expect.arrayContaining(['job watchdog-services', 'job watchdog-exitvpn']),
    );
    // Spinat does not install the plugin and is not scheduled its jobs.
    const spinat = doctor('Spinat', exampleConfig);
    expect(spinat.jobs.some((c) => c.check.startsWith('job watchdog'))).toBe(false);
    expect(spinat.jobs.find((c) => c.check === 'job icvpn-roa')?.status).toBe('ok');
    // The always-running responder is checked like the timed jobs.
    expect(spinat.jobs.find((c) => c.check === 'job respondd')).toMatchObject({
      status: 'ok',
      detail: expect.stringMatching(/photon respondd serve/),
    });
    // The firmware job is checked for its program (rsync), found or not.
    expect(spinat.jobs.find((c) => c.check === 'job firmware-rsync')?.detail).toMatch(/rsync/);
  });
});
