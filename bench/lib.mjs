// Shared helpers for the benchmarks: wall time and peak RSS of whole processes, measured
// in the same run as a floor (`node -e 0`) so results compare across machines.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const photonBin = path.join(repoRoot, 'packages/cli/bin/run.js');

/** One process run: wall ms (hrtime around the spawn) and peak RSS in MiB (GNU time). */
export function runOnce(argv, options = {}) {
  const started = process.hrtime.bigint();
  const result = spawnSync('/usr/bin/time', ['-f', '%M', ...argv], {
    cwd: options.cwd ?? repoRoot,
    env: { ...process.env, NODE_ENV: 'production', ...options.env },
    input: options.input,
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const lines = result.stderr.trim().split('\n');
  const rssKiB = Number(lines[lines.length - 1]);
  if (options.expectStatus !== undefined && result.status !== options.expectStatus) {
    throw new Error(`${argv.join(' ')} exited ${result.status}: ${result.stderr.slice(0, 2000)}`);
  }
  return { wallMs, rssMiB: rssKiB / 1024, status: result.status, stdout: result.stdout };
}

export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** The value at fraction `q` (0–1) of the sorted values, interpolated. */
export const quantile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  return sorted[low] + (sorted[Math.ceil(at)] - sorted[low]) * (at - low);
};

/**
 * Runs each case `runs` times, interleaved with the floor so load changes hit both alike.
 * Returns rows {name, wallMs, ratio, ratioRange, rssMiB}: medians, and the middle half
 * (25th–75th percentile) of each round's own ratio to that round's floor, which shows how far
 * the machine's noise moves the ratio. The floor is the first row.
 */
export function compareWithFloor(cases, { runs = 11, warmup = 2, floor = ['node', '-e', '0'] } = {}) {
  const all = [{ name: '`node -e 0` (floor)', argv: floor }, ...cases];
  const samples = all.map(() => ({ wall: [], rss: [] }));
  for (let i = 0; i < warmup; i += 1) for (const c of all) runOnce(c.argv, c);
  for (let i = 0; i < runs; i += 1) {
    all.forEach((c, index) => {
      const r = runOnce(c.argv, c);
      samples[index].wall.push(r.wallMs);
      samples[index].rss.push(r.rssMiB);
    });
  }
  const floorWall = median(samples[0].wall);
  return all.map((c, index) => {
    const perRound = samples[index].wall.map((wall, round) => wall / samples[0].wall[round]);
    return {
      name: c.name,
      wallMs: median(samples[index].wall),
      ratio: median(samples[index].wall) / floorWall,
      ratioRange: [quantile(perRound, 0.25), quantile(perRound, 0.75)],
      rssMiB: Math.max(...samples[index].rss),
    };
  });
}

export function markdownTable(header, rows) {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

export const fmt = (n, digits = 1) => n.toFixed(digits);

/**
 * The table of `compareWithFloor` rows. One set of columns for every bench, so the sections
 * of docs/performance.md compare; `digits` rounds wall and RSS (the ratio always has 2).
 */
export function floorTable(rows, { digits = 1 } = {}) {
  return markdownTable(
    ['command', 'median wall (ms)', '× node -e 0', 'per-round × (25th–75th pct.)', 'peak RSS (MiB)'],
    rows.map((r) => [
      r.name,
      fmt(r.wallMs, digits),
      fmt(r.ratio, 2),
      `${fmt(r.ratioRange[0], 2)}–${fmt(r.ratioRange[1], 2)}`,
      fmt(r.rssMiB, digits),
    ]),
  );
}

/**
 * Child CPU ms (user + system, read by a preload at the child's exit) and wall ms of each argv
 * (node's arguments), interleaved over `runs` rounds after two warm-up rounds (a first run may
 * rewrite a code cache: the preload is a flag): a shared machine's scheduling disturbs a child's
 * CPU time far less than its wall time. Returns `{ cpu, wall }` sample lists per argv.
 */
export function interleavedRuns(argvs, { node = 'node', runs = 11, env = {}, cwd = repoRoot } = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'photon-cpu-'));
  const preload = path.join(dir, 'cpu-at-exit.cjs');
  const log = path.join(dir, 'cpu');
  writeFileSync(
    preload,
    "process.on('exit', () => { const u = process.cpuUsage(); require('node:fs').writeFileSync(process.env.PHOTON_BENCH_CPU, String((u.user + u.system) / 1000)); });\n",
  );
  const samples = argvs.map(() => ({ cpu: [], wall: [] }));
  try {
    for (let round = 0; round < runs + 2; round += 1)
      argvs.forEach((argv, i) => {
        rmSync(log, { force: true });
        const started = process.hrtime.bigint();
        const r = spawnSync(node, ['-r', preload, ...argv], {
          cwd,
          env: { ...process.env, ...env, PHOTON_BENCH_CPU: log },
        });
        const wall = Number(process.hrtime.bigint() - started) / 1e6;
        if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
        if (round < 2) return;
        samples[i].cpu.push(Number(readFileSync(log, 'utf8')));
        samples[i].wall.push(wall);
      });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return samples;
}

/** Median child CPU ms of each argv (interleavedRuns). */
export function cpuMedians(argvs, options) {
  return interleavedRuns(argvs, options).map((s) => median(s.cpu));
}
