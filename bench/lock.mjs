#!/usr/bin/env node
// The task lock under contention: 40 concurrent `photon exec --wait` runs of one task, 3 rounds,
// each round starting on a stale lock file of the previous, file-based lock (a dead pid, or pid 1:
// alive, not photon). A critical section counts overlaps (two runs inside at once). Runs the BUILT
// binary (`npm run build` first). Prints Markdown.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fmt, markdownTable, photonBin } from './lib.mjs';

const RUNS = 40;
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
if (totalOverlaps > 0 || totalFailures > 0) process.exitCode = 1;
