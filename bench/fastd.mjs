#!/usr/bin/env node
// Benchmarks of @ffphoton/plugin-fastd (built code): `fastd limit` with dead gateways,
// `fastd sync-keys` with 5,000 key files, and the cold start of the on-verify hook.
// Build first (`npx tsc -b && node scripts/bundle.mjs`), run through `node bench/run.mjs fastd`
// (oclif manifests as in a packed install). Prints Markdown tables.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  FileStore,
  GitService,
  gitSettings,
  photonSettings,
  RootSandbox,
  ServiceManager,
  Shell,
  silentLogger,
  systemClock,
} from '@ffphoton/core';
import { KeySyncService, PeerLimitService, StatusSocketReader } from '@ffphoton/plugin-fastd';
import { compareWithFloor, floorTable, median, photonBin, repoRoot } from './lib.mjs';

const hook = path.join(repoRoot, 'packages/plugin-fastd/dist/verify-hook.js');
const dir = mkdtempSync(path.join(os.tmpdir(), 'photon-bench-fastd-'));
const ms = (n) => `${Math.round(n)} ms`;
// The CLI's journal and locks go to the bench directory, not /var/lib/photon.
const cliData = { PHOTON_DATA_DIR: path.join(dir, 'data') };
const cliEnv = { ...process.env, NODE_ENV: 'production', ...cliData };

function runtime() {
  const shell = new Shell({ dryRun: false, defaultTimeoutMs: 120_000 });
  const files = new FileStore(new RootSandbox(), { dryRun: false });
  const noop = ['true'];
  const services = new ServiceManager(
    shell,
    photonSettings.schema.parse({ services: { reload: noop, restart: noop, signal: noop } }).services,
  );
  return { shell, files, services };
}

// ---- fastd limit: 50 gateways, 10 never answer ---------------------------------------
async function benchLimit() {
  const timeoutMs = 1_000;
  const gateways = Array.from({ length: 50 }, (_, i) => `gw${i}`);
  const silent = new Set(gateways.slice(40));
  const hanging = [];
  const server = http.createServer((req, res) => {
    const gw = req.url.split('/')[1];
    if (silent.has(gw)) return void hanging.push(res);
    res.end(JSON.stringify({ mz: { peers: 40 }, _timestamp: Date.now() / 1000 }));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const statusDoc = JSON.stringify({
    uptime: 5000,
    peers: { a: { name: 'a', address: 'any', connection: null } },
  });
  const socket = path.join(dir, 'mz.sock');
  const fake = net.createServer((c) => c.end(statusDoc));
  await new Promise((resolve) => fake.listen(socket, resolve));
  const config = path.join(dir, 'fastd.conf');
  writeFileSync(config, 'peer limit 100;\n');
  const cfg = {
    instances: [{ name: 'mz', interface: 'mzVPN', configFile: config, statusSocket: socket }],
    limit: {
      gateways,
      statusUrl: `http://127.0.0.1:${server.address().port}/{gateway}/fastd_status.json`,
      localStatusFile: path.join(dir, 'fastd_status.json'),
      additional: 8,
      maxDataAgeSeconds: 900,
      restartAfterUptimeSeconds: 43_200,
      fetchTimeoutMs: timeoutMs,
    },
    verifyStateFile: path.join(dir, 'limit-verify.json'),
  };
  const { files, services } = runtime();
  const service = new PeerLimitService(
    new StatusSocketReader(files),
    files,
    services,
    systemClock,
    silentLogger,
  );
  const t0 = performance.now();
  const result = await service.apply(cfg, 'gw0');
  const parallel = performance.now() - t0;

  // The original's loop: one gateway after the other, each waiting out its timeout.
  const t1 = performance.now();
  for (const gw of gateways.slice(1)) {
    await fetch(cfg.limit.statusUrl.replace('{gateway}', gw), { signal: AbortSignal.timeout(timeoutMs) })
      .then((r) => r.text())
      .catch(() => undefined);
  }
  const sequential = performance.now() - t1;
  for (const res of hanging) res.destroy();
  server.closeAllConnections();
  server.close();
  fake.close();
  const row = result.instances[0];
  console.log('\n### fastd limit — 50 gateways, 10 never answer, fetch timeout 1,000 ms\n');
  console.log('| variant | wall | × timeout |\n|---|---:|---:|');
  console.log(
    `| photon fastd limit (parallel fetch, whole run) | ${ms(parallel)} | ${(parallel / timeoutMs).toFixed(2)} |`,
  );
  console.log(
    `| sequential fetch (the Python original's loop) | ${ms(sequential)} | ${(sequential / timeoutMs).toFixed(2)} |`,
  );
  console.log(
    `\nresult: online ${row.online}, offline ${row.offline}, limit ${row.limit} (target: wall ≤ 1.3 × timeout)`,
  );
}

// ---- fastd sync-keys: 5,000 key files -----------------------------------------------
async function benchSyncKeys() {
  const origin = path.join(dir, 'keys.git');
  const work = path.join(dir, 'keys-work');
  mkdirSync(work);
  for (let i = 0; i < 5_000; i++) {
    const key = (i.toString(16).padStart(8, '0') + 'a'.repeat(56)).slice(0, 64);
    writeFileSync(path.join(work, `node${i}`), `# Node: node${i}\nkey "${key}";\n`);
  }
  const git = (...args) =>
    execFileSync('git', ['-c', 'user.name=b', '-c', 'user.email=b@example.org', ...args], { stdio: 'pipe' });
  git('init', '-q', '--bare', '-b', 'main', origin);
  git('-C', work, 'init', '-q', '-b', 'main');
  git('-C', work, 'add', '-A');
  git('-C', work, 'commit', '-q', '-m', 'keys');
  git('-C', work, 'push', '-q', origin, 'main');
  const instance = (name) => ({
    name: 'mz',
    interface: 'mzVPN',
    configFile: '/dev/null',
    statusSocket: '/dev/null',
    peersDir: path.join(dir, `${name}-peers`),
    peersRepo: { remote: origin, local: path.join(dir, `${name}-clone`) },
  });
  const cfg = { instances: [instance('service')], verifyStateFile: path.join(dir, 'verify.json') };
  const { files, services } = runtime();
  const gitService = new GitService(gitSettings.schema.parse({}), files, 'bench');
  const service = new KeySyncService(gitService, files, services, systemClock);
  const rows = [];
  const row = (label, wall, i) =>
    rows.push(`| ${label} | ${ms(wall)} | ${i.keys} | ${i.added.length} | ${i.signalled ? 'yes' : 'no'} |`);
  let t0 = performance.now();
  const firstRun = (await service.sync(cfg)).instances[0];
  row('service: first run (clone, 5,000 files written)', performance.now() - t0, firstRun);
  const unchanged = [];
  let last;
  for (let n = 0; n < 5; n++) {
    t0 = performance.now();
    last = (await service.sync(cfg)).instances[0];
    unchanged.push(performance.now() - t0);
  }
  row('service: unchanged run (median of 5)', median(unchanged), last);
  const gitOnly = [];
  for (let n = 0; n < 5; n++) {
    t0 = performance.now();
    const { remote, local } = cfg.instances[0].peersRepo;
    await gitService.update(remote, local, { mirror: true });
    gitOnly.push(performance.now() - t0);
  }
  rows.push(
    `| of which the key repository (core git: clone check, ff-only pull, status; median of 5) | ${ms(median(gitOnly))} | | | |`,
  );

  // The same through the photon binary (process start, settings, lock, journal included).
  const settings = path.join(dir, 'sync-settings.json');
  writeFileSync(
    settings,
    JSON.stringify({
      photon: { hostname: 'bench' },
      fastd: {
        instances: [instance('cli')],
        signalCommand: ['true'],
        verifyStateFile: path.join(dir, 'cli-verify.json'),
      },
    }),
  );
  const cliSync = () => {
    const started = performance.now();
    const r = spawnSync(process.execPath, [photonBin, 'fastd', 'sync-keys', '-c', settings, '--json'], {
      encoding: 'utf8',
      env: cliEnv,
    });
    if (r.status !== 0) throw new Error(`photon fastd sync-keys exited ${r.status}: ${r.stderr.slice(-500)}`);
    return { wall: performance.now() - started, result: JSON.parse(r.stdout).result.instances[0] };
  };
  const first = cliSync();
  row('photon fastd sync-keys: first run', first.wall, first.result);
  const cliUnchanged = Array.from({ length: 5 }, cliSync);
  row(
    'photon fastd sync-keys: unchanged run (median of 5)',
    median(cliUnchanged.map((r) => r.wall)),
    cliUnchanged[4].result,
  );
  console.log('\n### fastd sync-keys — 5,000 key files\n');
  console.log('| run | wall | keys | added | SIGHUP |\n|---|---:|---:|---:|---|');
  for (const line of rows) console.log(line);
  return cfg.verifyStateFile;
}

// ---- fastd verify: cold start ----------------------------------------------------------
function benchVerify(stateFile) {
  const key = `00000000${'a'.repeat(56)}`;
  const runs = 21;
  const settings = path.join(dir, 'verify-settings.yaml');
  writeFileSync(settings, `fastd:\n  verifyStateFile: ${stateFile}\n`);
  // Every case must exit 0: the hook and `fastd verify` accept the known key.
  const run = (name, argv) => ({ name, argv, env: cliData, expectStatus: 0 });
  const rows = compareWithFloor(
    [
      run('`photon-fastd-verify` (on-verify hook)', [
        process.execPath,
        hook,
        '--state',
        stateFile,
        '--instance',
        'mz',
        key,
      ]),
      run('`photon --version` (answered before oclif starts)', [process.execPath, photonBin, '--version']),
      run('`photon fastd verify` (full CLI)', [
        process.execPath,
        photonBin,
        'fastd',
        'verify',
        key,
        '--instance',
        'mz',
        '-c',
        settings,
      ]),
    ],
    // The floor with the same node binary as the cases.
    { runs, floor: [process.execPath, '-e', '0'] },
  );
  console.log(`\n### fastd verify — cold start (median of ${runs}, interleaved; state with 5,000 keys)\n`);
  console.log(floorTable(rows));
}

try {
  await benchLimit();
  const state = await benchSyncKeys();
  benchVerify(state);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
