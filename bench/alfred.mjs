// Issue 5: `photon alfred announce` (runs every minute on every gateway) against `node -e 0`,
// pushing to a real alfred in a network namespace; then `alfred read` + `zone` + `nodes` on
// 10,000 nodes of alfred output (replayed: one alfred instance holds one record per source),
// as three runs and as the one `alfred sync` run that map servers schedule.
// Runs the BUILT binary (`npx tsc -b packages/cli`); needs root (ip netns) and alfred,
// named-checkzone. Prints Markdown tables.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  compareWithFloor,
  floorTable,
  fmt,
  markdownTable,
  median,
  photonBin,
  repoRoot,
  runOnce,
} from './lib.mjs';

const NODES = Number(process.env.BENCH_NODES ?? 10_000);
const root = mkdtempSync(path.join(os.tmpdir(), 'bench-alfred-'));
const netns = `phbench${process.pid}`;
const put = (p, text) => {
  mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
  writeFileSync(path.join(root, p), text);
};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A gateway's /proc and /sys as announce reads them. */
function fakeHost() {
  put('/proc/uptime', '1234567.89 2345678.12\n');
  put('/proc/loadavg', '0.42 0.30 0.25 1/187 12345\n');
  put('/proc/meminfo', 'MemTotal: 4045572 kB\nMemFree: 1334868 kB\nBuffers: 254828 kB\nCached: 1568364 kB\n');
  put('/proc/cpuinfo', 'processor\t: 0\nmodel name\t: Bench CPU\n');
  put('/proc/net/if_inet6', 'fd37b4dc4b1e0000000000000000000b 05 40 00 80 mzBR\n');
  put('/etc/os-release', 'NAME="Debian GNU/Linux"\nVERSION_ID="12"\n');
  put('/sys/module/batman_adv/version', '2023.0\n');
  put('/sys/class/net/mzBAT/address', '02:ca:fe:00:ff:0b\n');
  put('/sys/class/net/mzVPN/address', '02:ca:fe:00:01:0b\n');
  for (const c of ['rx_bytes', 'rx_packets', 'tx_bytes', 'tx_packets', 'tx_dropped'])
    put(`/sys/class/net/mzBAT/statistics/${c}`, '12345\n');
}

/** alfred's client.c escaping of one record. */
function alfredLine(mac, bytes) {
  let out = '';
  for (const b of bytes) {
    if (b === 0x22) out += '\\"';
    else if (b === 0x5c) out += '\\\\';
    else if (b >= 0x20 && b <= 0x7e) out += String.fromCharCode(b);
    else out += `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return `{ "${mac}", "${out}" },\n`;
}

/** `alfred -r 158` / `-r 159` output of NODES Gluon-like nodes. */
function replayFiles() {
  let nodeinfo = '';
  let statistics = '';
  for (let i = 0; i < NODES; i++) {
    const hex = i.toString(16).padStart(6, '0');
    const mac = `02:ca:fe:${hex.slice(0, 2)}:${hex.slice(2, 4)}:${hex.slice(4, 6)}`;
    const id = mac.replaceAll(':', '');
    const info = {
      node_id: id,
      hostname: i % 50 === 0 ? `Knoten ${i % 500} Süd` : `ffmz-node-${i}`,
      network: { mac, addresses: [`fd37:b4dc:4b1e::${i.toString(16)}`, `fe80::${i.toString(16)}`] },
      software: { firmware: { base: 'gluon-v2023.2', release: '1.4.0' } },
      location: { latitude: 50 + i / 1e5, longitude: 8.2 + i / 1e5 },
      system: { site_code: 'ffmz' },
    };
    const stats = {
      node_id: id,
      uptime: 1000 + i,
      loadavg: 0.1,
      clients: { total: i % 7 },
      memory: { total: 60000, free: 20000 },
    };
    nodeinfo += alfredLine(mac, gzipSync(JSON.stringify(info)));
    statistics += alfredLine(mac, gzipSync(JSON.stringify(stats)));
  }
  put('/replay/158.txt', nodeinfo);
  put('/replay/159.txt', statistics);
  put('/replay/64.txt', ''); // an empty data type: a task that does (almost) nothing
  put('/run/replay.sock', ''); // read/zone/nodes check that the socket exists
}

async function startAlfred() {
  execFileSync('ip', ['netns', 'add', netns]);
  // A veth pair inside the namespace (no dummy module needed); alfred listens on one end.
  execFileSync('ip', ['-n', netns, 'link', 'add', 'd0', 'type', 'veth', 'peer', 'name', 'd1']);
  execFileSync('ip', ['-n', netns, 'link', 'set', 'd1', 'up']);
  execFileSync('ip', ['-n', netns, 'link', 'set', 'd0', 'up']);
  for (let i = 0; i < 100; i++) {
    const out = execFileSync('ip', ['-n', netns, '-6', 'addr', 'show', 'dev', 'd0'], { encoding: 'utf8' });
    if (out.includes('fe80') && !out.includes('tentative')) break;
    await sleep(100);
  }
  mkdirSync(path.join(root, 'run'), { recursive: true });
  const socket = path.join(root, 'run/alfred.sock');
  const daemon = spawn(
    'ip',
    ['netns', 'exec', netns, 'alfred', '-m', '-i', 'd0', '-b', 'none', '-u', socket],
    { stdio: 'ignore' },
  );
  for (let i = 0; i < 100 && !existsSync(socket); i++) await sleep(100);
  return daemon;
}

/**
 * The services' own work on the same data, in this process (no CLI start-up, no alfred or
 * named-checkzone process, no file I/O): what the three commands compute. Wall and CPU time
 * (CPU time is steadier on a loaded machine), medians of 5 after a warm-up.
 */
async function inProcess() {
  const alfred = await import(path.join(repoRoot, 'packages/plugin-alfred/dist/index.js'));
  const out158 = readFileSync(path.join(root, 'replay/158.txt'), 'utf8');
  const out159 = readFileSync(path.join(root, 'replay/159.txt'), 'utf8');
  const zone = {
    name: 'nodes.ffmz.org',
    prefixes: ['fd37:b4dc:4b1e::/64'],
    nameservers: ['ns1.example.org.'],
    ttl: 300,
    soa: { contact: 'hostmaster', refresh: 3600, retry: 900, expire: 604800, minimum: 300 },
  };
  const steps = {
    'read 158: decode + pretty JSON': () => JSON.stringify(alfred.decodeAlfredOutput(out158).nodes, null, 2),
    'zone: decode + labels + render': () => {
      const { entries } = alfred.zoneEntries(zone, alfred.decodeAlfredOutput(out158));
      return alfred.renderZone(zone, entries, 2026010100);
    },
    'nodes: decode both + merge + 3 files': () => {
      const now = new Date();
      const state = JSON.parse(stateText);
      const m = alfred.mergeNodes(
        state,
        alfred.decodeAlfredOutput(out158),
        alfred.decodeAlfredOutput(out159),
        now,
        1e9,
      );
      alfred.renderNodesJson(m.state, m.online, now);
      alfred.renderNodelistJson(m.state, m.online, now);
      return JSON.stringify(m.state);
    },
  };
  // The state of a previous run (10,000 known nodes), as the nodes command reads it.
  let stateText = JSON.stringify({ version: 1, nodes: {} });
  stateText = steps['nodes: decode both + merge + 3 files']();
  const rows = [];
  let wallSum = 0;
  let cpuSum = 0;
  for (const [name, step] of Object.entries(steps)) {
    step();
    const walls = [];
    const cpus = [];
    for (let i = 0; i < 5; i++) {
      const cpu = process.cpuUsage();
      const started = performance.now();
      step();
      walls.push(performance.now() - started);
      const used = process.cpuUsage(cpu);
      cpus.push((used.user + used.system) / 1000);
    }
    wallSum += median(walls);
    cpuSum += median(cpus);
    rows.push([name, fmt(median(walls)), fmt(median(cpus))]);
  }
  rows.push(['**sum**', `**${fmt(wallSum)}**`, `**${fmt(cpuSum)}**`]);
  console.log(`\n### the same work in process (services only, ${NODES.toLocaleString('en')} nodes)\n`);
  console.log(markdownTable(['step', 'median wall (ms)', 'median CPU (ms)'], rows));
}

fakeHost();
replayFiles();
const replay = ['sh', '-c', `exec cat "${root}/replay/$4.txt"`, 'alfred'];
const settings = [
  'photon: { hostname: gw-bench }',
  'alfred:',
  '  meshes: [{ name: mz, bridge: mzBR, batman: mzBAT, fastd: mzVPN, socket: /run/alfred.sock, siteCode: ffmz }]',
  '',
].join('\n');
put('/etc/photon-gw.yaml', settings);
put(
  '/etc/photon-map.yaml',
  [
    'alfred:',
    '  meshes: [{ name: mz, socket: /run/replay.sock }]',
    `  command: ${JSON.stringify(replay)}`,
    '  zone: { name: nodes.ffmz.org, file: /etc/bind/db.nodes, prefixes: ["fd37:b4dc:4b1e::/64"], nameservers: [ns1.example.org.], reloadCommand: ["true", "{zone}"] }',
    '  nodes: { nodesFile: /srv/nodes.json, nodelistFile: /srv/nodelist.json }',
    '',
  ].join('\n'),
);

const env = { PHOTON_DATA_DIR: '/var/lib/photon', HOME: root };
let daemon;
try {
  daemon = await startAlfred();
  const photon = (args, config) => [
    'node',
    photonBin,
    'alfred',
    ...args,
    '--root',
    root,
    '--config',
    path.join(root, config),
  ];
  const rows = compareWithFloor(
    [
      // `--version` has its own fast path (no oclif); an empty `alfred read` is the framework
      // (oclif, core, settings, one alfred run) with no work: what any task command costs.
      { name: '`photon --version`', argv: ['node', photonBin, '--version'], env, expectStatus: 0 },
      {
        name: '`photon alfred read 64` (empty; the task floor)',
        argv: photon(['read', '64'], 'etc/photon-map.yaml'),
        env,
        expectStatus: 0,
      },
      {
        name: '`photon alfred announce` (real alfred)',
        argv: photon(['announce'], 'etc/photon-gw.yaml'),
        env,
        expectStatus: 0,
      },
    ],
    { runs: Number(process.env.BENCH_RUNS ?? 21) },
  );
  console.log('### alfred announce cold start (issue 5; target ≤ 2.5× `node -e 0`)\n');
  console.log(floorTable(rows));

  const steps = [
    ['`alfred read 158` (alfred-json output)', photon(['read', '158'], 'etc/photon-map.yaml')],
    ['`alfred zone` (incl. named-checkzone)', photon(['zone'], 'etc/photon-map.yaml')],
    ['`alfred nodes`', photon(['nodes'], 'etc/photon-map.yaml')],
  ];
  const table = [];
  /** Median wall and peak RSS of five runs. */
  const measure = (argv) => {
    const samples = [0, 1, 2, 3, 4].map(() => runOnce(argv, { env, expectStatus: 0 }));
    return {
      wall: samples.map((s) => s.wallMs).sort((a, b) => a - b)[2],
      rss: Math.max(...samples.map((s) => s.rssMiB)),
    };
  };
  let total = 0;
  for (const [name, argv] of steps) {
    const { wall, rss } = measure(argv);
    total += wall;
    table.push([name, fmt(wall), fmt(rss)]);
  }
  table.push(['**read + zone + nodes**', `**${fmt(total)}**`, '']);
  // The cron job: nodeinfo and statistics read and decoded once, zone and node lists written
  // from them (the zone installed by the runs above, so unchanged, as in the `alfred zone` row).
  const sync = measure(photon(['sync'], 'etc/photon-map.yaml'));
  table.push([
    '**read + zone + nodes in one run (`alfred sync`)**',
    `**${fmt(sync.wall)}**`,
    `**${fmt(sync.rss)}**`,
  ]);
  console.log(`\n### alfred read + zone + nodes, ${NODES.toLocaleString('en')} nodes (target < 1 s)\n`);
  console.log(markdownTable(['step', 'median wall (ms)', 'peak RSS (MiB)'], table));
  await inProcess();
} finally {
  if (daemon) {
    daemon.kill('SIGTERM');
    await new Promise((resolve) => (daemon.exitCode === null ? daemon.once('exit', resolve) : resolve()));
  }
  execFileSync('ip', ['netns', 'del', netns], { stdio: 'ignore' });
  // BENCH_KEEP=1 keeps the sandbox (replayed alfred data, settings) for profiling.
  if (process.env.BENCH_KEEP) console.error(`kept ${root}`);
  else rmSync(root, { recursive: true, force: true });
}
