// Issue 16: hostile but cheap input must be refused in milliseconds, not eat the gateway.
// Each case runs the BUILT binary; the child's wall and CPU time (user + sys) and peak RSS from
// GNU time, medians of RUNS runs, with `node -e 0` in the same run. On a shared machine wall
// time follows the load; CPU time does not, so the targets use it: the alias bomb and /dev/zero
// are refused (exit 2) in < 200 ms and < 80 MiB; the alfred cases still write nodes.json (exit 5).
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { fmt, markdownTable, median, photonBin } from './lib.mjs';

/** One run: wall and CPU ms and peak RSS (MiB) of the child, from GNU time. */
function measure(argv, expectStatus) {
  const result = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', ...argv], {
    env: { ...process.env, NODE_ENV: 'production', ...env },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== expectStatus)
    throw new Error(`${argv.join(' ')} exited ${result.status}: ${result.stderr.slice(0, 2000)}`);
  const [wall, user, sys, rssKiB] = result.stderr.trim().split('\n').at(-1).split(' ').map(Number);
  return { wallMs: wall * 1000, cpuMs: (user + sys) * 1000, rssMiB: rssKiB / 1024 };
}

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-hostile-'));
const env = { HOME: dir, XDG_CONFIG_HOME: '', XDG_DATA_HOME: '', PHOTON_DATA_DIR: path.join(dir, 'data') };
const file = (name, text) => {
  writeFileSync(path.join(dir, name), text);
  return path.join(dir, name);
};

/** The 360-byte billion-laughs settings file of the issue: 9^10 strings under free x- keys. */
const bombLines = ['x-a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
[...'bcdefghij'].forEach((name, i) => {
  bombLines.push(`x-${name}: &${name} [${Array(9).fill(`*${'abcdefghij'[i]}`).join(',')}]`);
});
const bomb = file('bomb.yaml', `${bombLines.join('\n')}\n`);
const fifo = path.join(dir, 'fifo.yaml');
execFileSync('mkfifo', [fifo]);
const deep = file('deep.yaml', `x-deep: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`);
const big = file('big.yaml', `x-pad: "${'x'.repeat(50 * 1024 * 1024)}"\n`);
const host = file('host.yaml', `photon:\n  hostname: ${'a'.repeat(100_000)}\n`);
const ok = file('ok.yaml', 'photon: { hostname: gw }\n');

/** alfred output with a fake `alfred` printing it: the records of the issue. */
function alfredBed(name, lines) {
  const root = path.join(dir, name);
  mkdirSync(path.join(root, 'run'), { recursive: true });
  writeFileSync(path.join(root, 'run/alfred.sock'), '');
  writeFileSync(path.join(root, 'r158.txt'), `${lines.join('\n')}\n`);
  writeFileSync(path.join(root, 'r159.txt'), '');
  const fake = path.join(root, 'alfred');
  writeFileSync(fake, `#!/bin/sh\nexec cat "${root}/r$4.txt"\n`);
  chmodSync(fake, 0o755);
  const config = path.join(root, 'photon.yaml');
  writeFileSync(
    config,
    `alfred:\n  command: [${fake}]\n  meshes: [{ name: mz, socket: /run/alfred.sock }]\n  nodes: { nodesFile: /srv/nodes.json, nodelistFile: /srv/nodelist.json }\n`,
  );
  return { root, config, argv: ['alfred', 'nodes', '--config', config, '--root', root] };
}
const escapeBytes = (bytes) => [...bytes].map((b) => `\\x${b.toString(16).padStart(2, '0')}`).join('');
const record = (mac, bytes) => `{ "${mac}", "${escapeBytes(bytes)}" },`;
const goodNode = record(
  '02:00:00:00:00:01',
  gzipSync(JSON.stringify({ node_id: '020000000001', hostname: 'ok' })),
);
const nested = alfredBed('nested', [
  goodNode,
  record('02:00:00:00:00:66', gzipSync(`${'['.repeat(5000)}${']'.repeat(5000)}`, { level: 9 })),
]);
const huge = alfredBed('huge', [
  goodNode,
  ...Array.from({ length: 10 }, (_, i) =>
    record(
      `02:00:00:00:01:${String(10 + i)}`,
      gzipSync(JSON.stringify({ node_id: `0200000001${10 + i}`, pad: 'x'.repeat(16 * 1024 * 1024 - 64) })),
    ),
  ),
]);

const photon = (args) => ['node', photonBin, ...args];
const cases = [
  { name: '`node -e 0` (floor)', argv: ['node', '-e', '0'], status: 0 },
  { name: 'valid settings (`config validate`)', argv: photon(['config', 'validate', '-c', ok]), status: 0 },
  {
    name: 'YAML alias bomb, 360 bytes',
    argv: photon(['config', 'validate', '-c', bomb]),
    status: 2,
    target: true,
  },
  {
    name: '`--config /dev/zero`',
    argv: photon(['config', 'validate', '-c', '/dev/zero']),
    status: 2,
    target: true,
  },
  { name: 'FIFO as settings file', argv: photon(['config', 'validate', '-c', fifo]), status: 2 },
  { name: '50 MiB settings file', argv: photon(['config', 'validate', '-c', big]), status: 2 },
  { name: 'YAML nested 100,000 deep', argv: photon(['config', 'validate', '-c', deep]), status: 2 },
  { name: '100,000-character host name', argv: photon(['config', 'validate', '-c', host]), status: 2 },
  { name: 'alfred: gzip record of JSON 5000 deep', argv: photon(nested.argv), status: 5, nodes: nested.root },
  {
    name: 'alfred: ten 16 MiB records (+1 valid)',
    argv: photon(huge.argv),
    status: 5,
    nodes: huge.root,
    runs: 3,
  },
];

const rows = [];
try {
  for (const c of cases) {
    const wall = [];
    const cpu = [];
    const rss = [];
    for (let i = 0; i < (c.runs ?? RUNS); i++) {
      const r = measure(c.argv, c.status);
      wall.push(r.wallMs);
      cpu.push(r.cpuMs);
      rss.push(r.rssMiB);
    }
    const ms = median(cpu);
    const mib = Math.max(...rss);
    const nodesJson = c.nodes ? statSync(path.join(c.nodes, 'srv/nodes.json')).size : undefined;
    const kept = c.nodes
      ? JSON.parse(readFileSync(path.join(c.nodes, 'srv/nodes.json'), 'utf8')).nodes.length
      : undefined;
    const held = ms < 200 && mib < 80;
    rows.push([
      c.name,
      String(c.status),
      fmt(median(wall), 0),
      fmt(ms, 0),
      fmt(mib, 1),
      nodesJson === undefined ? '' : `${kept} node(s), ${nodesJson} bytes`,
      c.target ? (held ? 'held (< 200 ms CPU, < 80 MiB)' : '**missed**') : '',
    ]);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(
  markdownTable(
    ['input', 'exit', 'median wall (ms)', 'median CPU (ms)', 'peak RSS (MiB)', 'nodes.json', 'target'],
    rows,
  ),
);
