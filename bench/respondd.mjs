// Issue 21: the respondd responder (`photon respondd serve`, the BUILT binary) on loopback —
// answer latency of one request, sustained answers/s and the responder's CPU with 100
// concurrent clients (each its own source address, 127.0.0.1–100), with the rate limits lifted
// and with the defaults — and the meshviewer output (meshviewer.json, graph.json, nodes.json)
// for 10,000 to 50,000 nodes, in process. Prints Markdown tables.
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fmt, markdownTable, median, photonBin, quantile, repoRoot } from './lib.mjs';

const root = mkdtempSync(path.join(os.tmpdir(), 'bench-respondd-'));
const put = (p, text) => {
  mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
  writeFileSync(path.join(root, p), text);
};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/** USER_HZ: the unit of /proc/PID/stat CPU times on Linux. */
const ticks = () => 100;

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
  put(
    '/bin/batctl',
    `#!/bin/sh\n[ "$3" = o ] && exec cat ${repoRoot}/packages/plugin-alfred/test-data/batctl/o-netlink-2023.txt\nexit 0\n`,
  );
}

/** CPU seconds (user + system) of a process so far. */
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / ticks();
}

async function startResponder(name, respondd) {
  const config = path.join(root, `${name}.yaml`);
  writeFileSync(
    config,
    JSON.stringify({
      photon: { dataDir: `/var/lib/${name}` },
      alfred: {
        announce: { batctl: ['sh', path.join(root, 'bin/batctl')], fastdVersion: ['echo', 'fastd v22'] },
        meshes: [{ name: 'mz', bridge: 'mzBR', batman: 'mzBAT', fastd: 'mzVPN', siteCode: 'ffmz' }],
        respondd,
      },
    }),
  );
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const child = spawn(
    process.execPath,
    [
      photonBin,
      'respondd',
      'serve',
      '--address',
      '::',
      '--port',
      String(port),
      '--config',
      config,
      '--root',
      root,
      '--log-level',
      'info',
    ],
    { env: { ...process.env, NODE_ENV: 'production', HOME: root }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let err = '';
  child.stderr.on('data', (d) => {
    err += d;
  });
  for (let i = 0; i < 200 && !err.includes('respondd: answering'); i++) await sleep(50);
  if (!err.includes('respondd: answering')) throw new Error(`responder did not start: ${err}`);
  return {
    port,
    pid: child.pid,
    stop: () =>
      new Promise((resolve) => {
        child.once('close', resolve);
        child.kill('SIGTERM');
      }),
  };
}

function client(address) {
  const socket = dgram.createSocket('udp4');
  return new Promise((resolve) => socket.bind(0, address, () => resolve(socket)));
}

/** One request → its answer, in ms (undefined after 200 ms without one). */
function roundTrip(socket, port, request = 'GET nodeinfo statistics neighbours') {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const timer = setTimeout(() => {
      socket.off('message', onMessage);
      resolve(undefined);
    }, 200);
    const onMessage = () => {
      clearTimeout(timer);
      socket.off('message', onMessage);
      resolve(Number(process.hrtime.bigint() - started) / 1e6);
    };
    socket.on('message', onMessage);
    socket.send(request, port, '127.0.0.1');
  });
}

async function latency(responder) {
  const socket = await client('127.0.0.1');
  const samples = [];
  for (let i = 0; i < 20; i++) await roundTrip(socket, responder.port);
  for (let i = 0; i < 500; i++) {
    const ms = await roundTrip(socket, responder.port);
    if (ms !== undefined) samples.push(ms);
  }
  socket.close();
  return samples;
}

/** 100 clients in closed loops for `seconds`: answers/s, lost requests, responder CPU share. */
async function flood(responder, seconds = 5) {
  const sockets = await Promise.all(Array.from({ length: 100 }, (_, i) => client(`127.0.0.${i + 1}`)));
  let answered = 0;
  let lost = 0;
  const until = Date.now() + seconds * 1000;
  const cpu0 = cpuSeconds(responder.pid);
  const t0 = process.hrtime.bigint();
  await Promise.all(
    sockets.map(async (socket) => {
      while (Date.now() < until) {
        if ((await roundTrip(socket, responder.port)) === undefined) lost += 1;
        else answered += 1;
      }
    }),
  );
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = cpuSeconds(responder.pid) - cpu0;
  for (const s of sockets) s.close();
  return { answersPerSecond: answered / wall, lostPerSecond: lost / wall, cpuShare: cpu / wall };
}

/** Gluon-like node data of `n` nodes: nodeinfo, statistics, three neighbours each. */
function nodes(n) {
  const mac = (i, k) =>
    `02:${k}:${((i >> 16) & 255).toString(16).padStart(2, '0')}:${((i >> 8) & 255).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}:01`.replace(
      /^02:(\d)/,
      '02:a$1',
    );
  const answers = [];
  for (let i = 0; i < n; i++) {
    const id = mac(i, 0).replaceAll(':', '');
    const wifi = mac(i, 1);
    const vpn = mac(i, 2);
    const neighbours = {};
    for (const d of [1, 2, 7]) neighbours[mac((i + d) % n, 1)] = { tq: 200 + d, lastseen: 0.5 };
    answers.push({
      from: `fe80::${i.toString(16)}%bat0`,
      data: {
        nodeinfo: {
          node_id: id,
          hostname: `node-${i}`,
          network: {
            mac: mac(i, 0),
            addresses: [`fd37:b4dc:4b1e::${i.toString(16)}`],
            mesh: { bat0: { interfaces: { wireless: [wifi], tunnel: [vpn] } } },
          },
          system: { site_code: 'ffmz' },
          hardware: { model: 'TP-Link TL-WR841N/ND v9', nproc: 1 },
          software: {
            firmware: { base: 'gluon-v2023.2', release: '1.4.2' },
            autoupdater: { enabled: true, branch: 'stable' },
          },
          location: { latitude: 50 + (i % 100) / 1000, longitude: 8 + (i % 77) / 1000 },
          owner: { contact: `owner${i}@example.org` },
        },
        statistics: {
          node_id: id,
          uptime: 86400 + i,
          loadavg: 0.1,
          memory: { total: 28000, free: 9000, buffers: 1000, cached: 4000 },
          clients: { total: i % 9, wifi24: i % 5, wifi5: 1 },
          gateway: '02:ca:fe:00:ff:0b',
        },
        neighbours: { node_id: id, batadv: { [wifi]: { neighbours } } },
      },
    });
  }
  return answers;
}

async function mapOutput() {
  const dist = path.join(repoRoot, 'packages/plugin-alfred/dist/services');
  const { recordsOfAnswers } = await import(path.join(dist, 'meshviewer-export.js'));
  const { buildMapData } = await import(path.join(dist, 'meshviewer.js'));
  const { mergeNodes, renderNodesJson } = await import(path.join(dist, 'nodes-export.js'));
  const { safeJson } = await import(path.join(dist, 'respondd-protocol.js'));
  const out = path.join(root, 'map');
  mkdirSync(out, { recursive: true });
  const rows = [];
  for (const n of [10_000, 20_000, 50_000]) {
    const answers = nodes(n);
    const walls = [];
    const cpus = [];
    const withNodes = [];
    let sizes;
    let links;
    for (let run = 0; run < 5; run++) {
      const t0 = process.hrtime.bigint();
      const c0 = process.cpuUsage();
      const records = recordsOfAnswers(answers);
      const now = new Date();
      const merged = mergeNodes(
        { version: 1, nodes: {} },
        records.nodeinfo,
        records.statistics,
        now,
        1_209_600,
      );
      const neighbours = new Map(Object.entries(records.neighbours.nodes));
      const { meshviewer, graph } = buildMapData(merged.state, merged.online, neighbours, now);
      const files = [safeJson(meshviewer), safeJson(graph)];
      for (const [i, text] of files.entries()) writeFileSync(path.join(out, `${i}.json`), text);
      const c1 = process.cpuUsage(c0);
      walls.push(Number(process.hrtime.bigint() - t0) / 1e6);
      cpus.push((c1.user + c1.system) / 1000);
      // nodes.json v2 (optional, for older maps) on top.
      files.push(renderNodesJson(merged.state, merged.online, now));
      writeFileSync(path.join(out, '2.json'), files[2]);
      withNodes.push(Number(process.hrtime.bigint() - t0) / 1e6);
      sizes = files.map((f) => f.length / 2 ** 20);
      links = meshviewer.links.length;
    }
    const ms = median(walls);
    rows.push([
      n.toLocaleString('en'),
      links.toLocaleString('en'),
      fmt(ms),
      fmt(median(cpus)),
      fmt(median(cpus) / (n / 1000), 1),
      fmt(median(withNodes)),
      sizes.map((s) => fmt(s)).join(' / '),
    ]);
  }
  return rows;
}

try {
  fakeHost();
  const lifted = { answersPerSecond: 1e6, answersPerSecondPerSource: 1e6 };
  let responder = await startResponder('lifted', lifted);
  const lat = await latency(responder);
  const unlimited = await flood(responder);
  await responder.stop();
  responder = await startResponder('defaults', {});
  const limited = await flood(responder);
  await responder.stop();
  const defaults = { answersPerSecond: 200, answersPerSecondPerSource: 10 };

  console.log('### respondd serve: answer latency, one client on loopback (issue 21)\n');
  console.log(
    markdownTable(
      ['request', 'answers', 'median (ms)', '90th pct. (ms)', '99th pct. (ms)'],
      [
        [
          '`GET nodeinfo statistics neighbours` (raw deflate), node data cached',
          lat.length,
          fmt(median(lat), 3),
          fmt(quantile(lat, 0.9), 3),
          fmt(quantile(lat, 0.99), 3),
        ],
      ],
    ),
  );
  console.log('\n### respondd serve: 100 concurrent clients (closed loops, 5 s, 127.0.0.1–100)\n');
  console.log(
    markdownTable(
      ['rate limits', 'answers/s', 'unanswered requests/s', 'responder CPU (share of one core)'],
      [
        [
          `lifted (${lifted.answersPerSecond} total, per source)`,
          fmt(unlimited.answersPerSecond, 0),
          fmt(unlimited.lostPerSecond, 0),
          fmt(unlimited.cpuShare, 2),
        ],
        [
          `defaults (${defaults.answersPerSecond}/s total, ${defaults.answersPerSecondPerSource}/s per source)`,
          fmt(limited.answersPerSecond, 0),
          fmt(limited.lostPerSecond, 0),
          fmt(limited.cpuShare, 2),
        ],
      ],
    ),
  );
  console.log(
    '\n### photon map: meshviewer.json + graph.json (+ nodes.json), in process: collect → merge → build → escape → write (median of 5; target 10,000 < 1 s, 50,000 < 2 s)\n',
  );
  console.log(
    markdownTable(
      [
        'nodes',
        'links',
        'meshviewer.json + graph.json: wall (ms)',
        'CPU (ms)',
        'CPU ms per 1,000 nodes',
        '+ nodes.json v2: wall (ms)',
        'MiB (meshviewer / graph / nodes)',
      ],
      await mapOutput(),
    ),
  );
} finally {
  rmSync(root, { recursive: true, force: true });
}
