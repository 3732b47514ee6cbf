#!/usr/bin/env node
// Locks and crashes, through the BUILT binary (`npm run build` first); prints Markdown.
// 1. The task lock under contention: 40 concurrent `photon exec --wait` runs of one task, 3 rounds,
//    each round starting on a stale lock file of the previous, file-based lock (a dead pid, or
//    pid 1: alive, not photon). A critical section counts overlaps (two runs inside at once).
// 2. kill -9 during `fastd sync-keys` writing 1,500 peer files: temps left by the killed run,
//    then the next run: its exit code, temps left, peer files missing or not byte-identical.
// BENCH_LOCK_RUNS=N runs N instead of 40 waiting runs per round (a quick check).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
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
import { fmt, markdownTable, photonBin } from './lib.mjs';

const RUNS = Number(process.env.BENCH_LOCK_RUNS ?? 40);
const ROUNDS = 3;
const work = mkdtempSync(path.join(os.tmpdir(), 'bench-lock-'));
const env = { ...process.env, NODE_ENV: 'production', PHOTON_DATA_DIR: path.join(work, 'data'), HOME: work };
const critical =
  'mkdir "$0/held" 2>/dev/null || { echo x >> "$0/overlaps"; exit 9; }; sleep 0.05; rmdir "$0/held"';
const stale = [
  { name: 'dead pid', holder: 999_999_999 },
  { name: 'pid 1 (reused)', holder: 1 },
  { name: 'dead pid', holder: 999_999_998 },
];

const run = () =>
  new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [
        photonBin,
        'exec',
        '--name',
        'crit',
        '--wait',
        '120',
        '--log-level',
        'silent',
        '--',
        'sh',
        '-c',
        critical,
        work,
      ],
      { env, stdio: 'ignore' },
    );
    child.on('exit', (code) => resolve(code));
  });

const rows = [];
let totalOverlaps = 0;
let totalFailures = 0;
try {
  for (let round = 0; round < ROUNDS; round += 1) {
    const locks = path.join(work, 'data', 'locks');
    mkdirSync(locks, { recursive: true });
    writeFileSync(
      path.join(locks, 'crit.lock'),
      `${JSON.stringify({ pid: stale[round].holder, task: 'crit' })}\n`,
    );
    rmSync(path.join(work, 'overlaps'), { force: true });
    const started = process.hrtime.bigint();
    const codes = await Promise.all(Array.from({ length: RUNS }, run));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const overlaps = existsSync(path.join(work, 'overlaps'))
      ? readFileSync(path.join(work, 'overlaps'), 'utf8').trim().split('\n').length
      : 0;
    const failures = codes.filter((code) => code !== 0).length - overlaps;
    totalOverlaps += overlaps;
    totalFailures += failures;
    rows.push([
      String(round + 1),
      `stale lock file, ${stale[round].name}`,
      String(RUNS),
      String(overlaps),
      String(failures),
      String(existsSync(path.join(locks, 'crit.lock')) ? 1 : 0),
      fmt(seconds),
    ]);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
console.log(`### ${RUNS} waiting runs of one task, ${ROUNDS} rounds\n`);
console.log(
  markdownTable(
    ['round', 'start', 'waiting runs', 'overlaps', 'other failures', 'lock files left', 'wall s'],
    rows,
  ),
);
console.log(
  `\n${ROUNDS * RUNS} acquisitions: **${totalOverlaps} overlaps**, ${totalFailures} other failures (want 0 and 0). ` +
    'The lock is an abstract Unix socket (see packages/core/README.md), so a killed holder frees it at once and a stale lock file blocks nothing.',
);

// ---- 2. kill -9 during fastd sync-keys ----------------------------------------------------------
const KILLS = 30;
const KEYS = 1_500;
const crash = mkdtempSync(path.join(os.tmpdir(), 'bench-kill-'));
const crashEnv = {
  ...process.env,
  NODE_ENV: 'production',
  PHOTON_DATA_DIR: path.join(crash, 'data'),
  HOME: crash,
};
const keys = path.join(crash, 'keys-work');
const peers = path.join(crash, 'peers');
let killed = 0;
let tempsAfterKill = 0;
let failedAfter = 0;
let tempsAfterNext = 0;
let corrupt = 0;
let missing = 0;
const startedCrash = process.hrtime.bigint();
try {
  mkdirSync(keys);
  for (let i = 0; i < KEYS; i += 1)
    writeFileSync(
      path.join(keys, `node${i}`),
      `# Node: node${i}\nkey "${i.toString(16).padStart(64, '0')}";\n`,
    );
  const git = (...args) =>
    execFileSync('git', ['-c', 'user.name=b', '-c', 'user.email=b@example.org', ...args]);
  git('init', '-q', '--bare', '-b', 'main', path.join(crash, 'keys.git'));
  git('-C', keys, 'init', '-q', '-b', 'main');
  git('-C', keys, 'add', '-A');
  git('-C', keys, 'commit', '-q', '-m', 'keys');
  git('-C', keys, 'push', '-q', path.join(crash, 'keys.git'), 'main');
  const settings = path.join(crash, 'settings.json');
  writeFileSync(
    settings,
    JSON.stringify({
      photon: { hostname: 'bench' },
      fastd: {
        instances: [
          {
            name: 'mz',
            interface: 'mzVPN',
            configFile: '/dev/null',
            statusSocket: '/dev/null',
            peersDir: peers,
            peersRepo: { remote: path.join(crash, 'keys.git'), local: path.join(crash, 'clone') },
          },
        ],
        signalCommand: ['true'],
        verifyStateFile: path.join(crash, 'verify.json'),
      },
    }),
  );
  const argv = [photonBin, 'fastd', 'sync-keys', '-c', settings, '--log-level', 'silent'];
  const temps = () => (existsSync(peers) ? readdirSync(peers).filter((f) => f.endsWith('.tmp')).length : 0);
  // The first run clones; every killed run then rewrites all peer files.
  spawnSync(process.execPath, argv, { env: crashEnv, stdio: 'ignore' });
  for (let i = 0; i < KILLS; i += 1) {
    for (const name of existsSync(peers) ? readdirSync(peers) : [])
      rmSync(path.join(peers, name), { force: true });
    const child = spawn(process.execPath, argv, { env: crashEnv, stdio: 'ignore' });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    await new Promise((resolve) => setTimeout(resolve, 300 + Math.random() * 1500));
    if (child.kill('SIGKILL')) killed += 1;
    await exited;
    tempsAfterKill += temps();
    const next = spawnSync(process.execPath, argv, { env: crashEnv, stdio: 'ignore' });
    if (next.status !== 0) failedAfter += 1;
    tempsAfterNext += temps();
    for (let k = 0; k < KEYS; k += 1) {
      const file = path.join(peers, `node${k}`);
      if (!existsSync(file)) missing += 1;
      else if (!readFileSync(file).equals(readFileSync(path.join(keys, `node${k}`)))) corrupt += 1;
    }
  }
} finally {
  rmSync(crash, { recursive: true, force: true });
}
const crashSeconds = Number(process.hrtime.bigint() - startedCrash) / 1e9;
console.log(`\n### kill -9 during \`fastd sync-keys\` (${KEYS} peer files)\n`);
console.log(
  markdownTable(
    [
      'kills',
      'temps left by the killed runs',
      'next runs failing',
      'temps after the next run',
      'peer files corrupt',
      'missing',
      'wall s',
    ],
    [[killed, tempsAfterKill, failedAfter, tempsAfterNext, corrupt, missing, fmt(crashSeconds)].map(String)],
  ),
);
console.log(
  '\nWant 0 in every column after the first: the next run sweeps the temps of the dead writer (its pid is gone) on its first write into the directory.',
);
if (
  totalOverlaps > 0 ||
  totalFailures > 0 ||
  failedAfter > 0 ||
  tempsAfterNext > 0 ||
  corrupt > 0 ||
  missing > 0
)
  process.exitCode = 1;
