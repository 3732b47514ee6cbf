import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { photonSync, repoRoot } from './helpers/photon.js';

// Prometheus as communities run it: the real Debian node_exporter reads photon's textfiles from
// a directory, the test scrapes its /metrics on a loopback port. Real promtool checks the rules.
const work = mkdtempSync(path.join(os.tmpdir(), 'photon-prometheus-'));
const root = path.join(work, 'root');
const textfiles = path.join(root, 'var/lib/node-exporter');
let exporter: ChildProcess | undefined;
let port = 0;

const env = {
  HOME: work,
  PHOTON_DATA_DIR: '/var/lib/photon',
  PHOTON_PHOTON__HOSTNAME: 'gw1',
  PHOTON_PHOTON__METRICS__TEXTFILE_DIR: '/var/lib/node-exporter',
};
/** photon in the sandbox; `--root` goes before an `exec`'s `--`. */
const photon = (args: string[]) => {
  const end = args.includes('--') ? args.indexOf('--') : args.length;
  return photonSync([...args.slice(0, end), '--root', root, ...args.slice(end)], { env });
};

async function scrape(): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(5000) });
  return response.text();
}

/** Starts node_exporter with only the textfile collector on a free loopback port. */
async function startExporter(): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt += 1) {
    port = 20_000 + Math.floor(Math.random() * 20_000);
    const child = spawn(
      'prometheus-node-exporter',
      [
        `--web.listen-address=127.0.0.1:${port}`,
        '--collector.disable-defaults',
        '--collector.textfile',
        `--collector.textfile.directory=${textfiles}`,
      ],
      { stdio: 'ignore' },
    );
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    for (let i = 0; i < 50; i += 1) {
      const ok = await scrape().then(
        () => true,
        () => false,
      );
      if (ok) {
        exporter = child;
        return;
      }
      if (child.exitCode !== null) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    child.kill();
    await exited;
  }
  throw new Error('prometheus-node-exporter did not start');
}

beforeAll(async () => {
  mkdirSync(textfiles, { recursive: true });
  await startExporter();
}, 30_000);

afterAll(() => {
  exporter?.kill();
  rmSync(work, { recursive: true, force: true });
});

describe('Prometheus: node_exporter textfiles of the task runs', () => {
  it('serves last run, last success, exit code, duration and changes per task', async () => {
    const before = Math.floor(Date.now() / 1000);
    expect(photon(['exec', '--name', 'hello', '--', 'true']).code).toBe(0);
    expect(photon(['exec', '--name', 'broken', '--', 'false']).code).not.toBe(0);
    // Atomic replacement: only the .prom files, no temp files left behind.
    expect(readdirSync(textfiles).sort()).toEqual(['photon_task_broken.prom', 'photon_task_hello.prom']);

    const metrics = await scrape();
    const value = (name: string, task: string) => {
      const line = metrics.split('\n').find((l) => l.startsWith(`${name}{host="gw1",task="${task}"}`));
      return line === undefined ? undefined : Number(line.split(' ').at(-1));
    };
    expect(value('photon_task_last_run_timestamp_seconds', 'hello')).toBeGreaterThanOrEqual(before);
    expect(value('photon_task_last_success_timestamp_seconds', 'hello')).toBe(
      value('photon_task_last_run_timestamp_seconds', 'hello'),
    );
    expect(value('photon_task_exit_code', 'hello')).toBe(0);
    expect(value('photon_task_duration_seconds', 'hello')).toBeGreaterThan(0);
    expect(value('photon_task_changes_total', 'hello')).toBe(0);
    expect(value('photon_task_exit_code', 'broken')).toBeGreaterThan(0);
    expect(value('photon_task_last_success_timestamp_seconds', 'broken')).toBeUndefined();
    // node_exporter read the files without complaint.
    expect(metrics).toMatch(/node_textfile_scrape_error 0/);
  });

  it('writes nothing for a dry run', () => {
    expect(photon(['exec', '--name', 'dry', '--dry-run', '--', 'true']).code).toBe(0);
    expect(readdirSync(textfiles)).not.toContain('photon_task_dry.prom');
  });

  it("serves the plugins' gauges from the status hook after web build", async () => {
    const config = path.join(work, 'alfred.yaml');
    writeFileSync(config, 'alfred:\n  meshes: [{ name: mz, socket: /run/alfred-mz.sock }]\n');
    const nodes = path.join(root, 'var/lib/photon/alfred/last-nodes.json');
    mkdirSync(path.dirname(nodes), { recursive: true });
    writeFileSync(
      nodes,
      JSON.stringify({ time: new Date().toISOString(), total: 120, online: 97, problems: 0 }),
    );
    const r = photon(['web', 'build', '--config', config]);
    expect(r.code, r.stderr).toBe(0);
    const metrics = await scrape();
    expect(metrics).toContain('photon_alfred_nodes{host="gw1"} 120');
    expect(metrics).toContain('photon_alfred_nodes_online{host="gw1"} 97');
  });

  it('ships alert rules that promtool accepts and whose unit tests pass', () => {
    const dir = path.join(repoRoot, 'examples/prometheus');
    const check = spawnSync('promtool', ['check', 'rules', 'photon-rules.yml'], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(check.status, check.stdout + check.stderr).toBe(0);
    const test = spawnSync('promtool', ['test', 'rules', 'photon-rules.test.yml'], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(test.status, test.stdout + test.stderr).toBe(0);
  });
});
