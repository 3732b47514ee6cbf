import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exampleConfig, photonBin, photonSync } from './helpers/photon.js';

// `cadence: always`: the generated unit is a service systemd accepts and keeps running, and
// its ExecStart, run as systemd would, is a working respondd responder.
const work = mkdtempSync(path.join(os.tmpdir(), 'photon-schedule-service-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const env = { HOME: work, PHOTON_DATA_DIR: path.join(work, 'data') };
const photon = (args: string[]) => photonSync(args, { env });
const hasSystemdAnalyze = spawnSync('systemd-analyze', ['--version']).status === 0;

/** `systemd-analyze verify` of unit files (it also checks that ExecStart's program is executable). */
const verify = (files: string[]) =>
  spawnSync('systemd-analyze', ['verify', ...files], { encoding: 'utf8', env: { ...process.env, ...env } });

/** `schedule systemd` for one host into <root>/etc/systemd/system; the unit directory. */
function writeUnits(config: string, host: string): string {
  const root = mkdtempSync(path.join(work, 'root-'));
  const r = photon([
    'schedule',
    'systemd',
    '--config',
    config,
    '--host',
    host,
    '--out',
    '/etc/systemd/system',
    '--root',
    root,
  ]);
  expect(r.code, r.stderr).toBe(0);
  return path.join(root, 'etc/systemd/system');
}

/** ExecStart= split as systemd splits it (words, double quotes, `%h`, `%%`, `$$`). */
function execStart(unit: string): string[] {
  const line = /^ExecStart=(.*)$/m.exec(unit)?.[1] ?? '';
  const words = line.match(/"(?:[^"\\]|\\.)*"|\S+/g) ?? [];
  return words.map((word) =>
    (word.startsWith('"') ? word.slice(1, -1).replace(/\\(.)/g, '$1') : word)
      .replaceAll('%h', work)
      .replaceAll('%%', '%')
      .replaceAll('$$', '$'),
  );
}

describe('an always-running job (cadence: always) as a systemd service', () => {
  it('is a verified service without a timer on the example gateways, and no service elsewhere', () => {
    const dir = writeUnits(path.join(exampleConfig, 'fleet.yaml'), 'Spinat');
    const units = readdirSync(dir);
    expect(units).toContain('photon-respondd.service');
    expect(units).not.toContain('photon-respondd.timer');
    const unit = readFileSync(path.join(dir, 'photon-respondd.service'), 'utf8');
    expect(unit).toMatch(/^Type=simple$/m);
    expect(unit).toMatch(/^Restart=on-failure$/m);
    expect(unit).toMatch(/^WantedBy=multi-user\.target$/m);
    expect(unit).toMatch(
      /^ExecStart=env PHOTON_DATA_DIR=\/var\/lib\/photon \/usr\/local\/bin\/photon respondd serve --log-file %h\/\.cronlog\/respondd\.log$/m,
    );
    if (hasSystemdAnalyze) {
      const r = verify([path.join(dir, 'photon-respondd.service')]);
      expect(r.status, r.stderr).toBe(0);
    }
    expect(readdirSync(writeUnits(path.join(exampleConfig, 'fleet.yaml'), 'Pudding'))).not.toContain(
      'photon-respondd.service',
    );
  });

  it('shows `always` on its hosts in the fleet table', () => {
    const r = photon(['schedule', 'show', '--config', path.join(exampleConfig, 'fleet.yaml')]);
    expect(r.code, r.stderr).toBe(0);
    // Five gateways run it; the two service machines do not.
    expect(r.stdout).toMatch(/^respondd\s+none\s+(always\s+){5}-\s+-\s*$/m);
  });

  it('is named, not scheduled, in the crontab', () => {
    const r = photon([
      'schedule',
      'crontab',
      '--config',
      path.join(exampleConfig, 'fleet.yaml'),
      '--host',
      'Spinat',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n').filter((l) => l.includes('respondd'));
    expect(lines).toEqual([
      expect.stringMatching(/^# respondd: .*systemctl enable --now photon-respondd\.service/),
    ]);
  });

  it("runs its unit's ExecStart as a responder that answers and stops cleanly on SIGTERM", async () => {
    const port = 20_000 + Math.floor(Math.random() * 30_000);
    const fleetFile = path.join(work, 'fleet.yaml');
    const logDir = path.join(work, 'log');
    writeFileSync(
      fleetFile,
      JSON.stringify({
        fleet: {
          hosts: [{ name: 'gw1', roles: ['gw'] }],
          photon: [process.execPath, photonBin],
          logDir,
          jobs: [
            {
              name: 'respondd',
              hosts: 'gw',
              command: [
                'photon',
                'respondd',
                'serve',
                '--address',
                '::1',
                '--port',
                String(port),
                '--config',
                fleetFile,
              ],
              cadence: 'always',
            },
          ],
        },
      }),
    );
    const dir = writeUnits(fleetFile, 'gw1');
    expect(readdirSync(dir)).toEqual(['photon-respondd.service']);
    const unit = path.join(dir, 'photon-respondd.service');
    if (hasSystemdAnalyze) {
      const r = verify([unit]);
      expect(r.status, r.stderr).toBe(0);
    }

    const [program, ...args] = execStart(readFileSync(unit, 'utf8'));
    expect(program).toBe(process.execPath);
    // As systemd starts it: from /, the argv verbatim.
    const responder = spawn(program, args, {
      cwd: '/',
      env: { ...process.env, NODE_ENV: 'production', ...env },
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((resolve) => responder.on('close', resolve));
    try {
      let answers: unknown[] = [];
      for (let attempt = 0; attempt < 20 && answers.length === 0; attempt += 1) {
        const q = photon(['respondd', 'query', '::1', '--port', String(port), '--json', '--timeout', '1']);
        if (q.code === 0) answers = JSON.parse(q.stdout).result.answers;
      }
      expect(answers).toHaveLength(1);
    } finally {
      responder.kill('SIGTERM');
    }
    // SIGTERM (systemctl stop) is the responder's normal end: exit 0, no restart by Restart=on-failure.
    expect(await exited).toBe(0);
    expect(existsSync(path.join(logDir, 'respondd.log'))).toBe(true);
    expect(readFileSync(path.join(logDir, 'respondd.log'), 'utf8')).toMatch(
      /respondd serve: .*1 of 1 request/,
    );
  }, 60_000);
});
