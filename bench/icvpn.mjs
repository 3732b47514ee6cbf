// Benchmark of `photon icvpn update --dry-run` (bgp 4+6, roa 4+6, dns, tinc) on synthetic icvpn-meta
// data, against `node -e 0` in the same run; then scaling with 1,000 and 10,000 communities.
// Runs the BUILT binary: `npx tsc -b packages/cli` first. Prints Markdown tables.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const bin = path.join(root, 'packages/cli/bin/run.js');
const runs = Number(process.env.BENCH_RUNS ?? 7);
const tmp = mkdtempSync(path.join(os.tmpdir(), 'bench-icvpn-'));

/** Community i: one bgp peer, a /24 per family, a forward and a reverse zone, one nameserver. */
function community(i) {
  const hi = i >> 8;
  const lo = i & 255;
  return [
    `asn: ${4_200_000_000 + i}`,
    'tech-c:',
    `  - noc@c${i}.example.org`,
    'networks:',
    '  ipv4:',
    `    - 10.${hi}.${lo}.0/24`,
    '  ipv6:',
    `    - fd00:${i.toString(16)}::/48`,
    'bgp:',
    `  c${i}gw1:`,
    `    ipv4: 10.207.${hi}.${lo}`,
    `    ipv6: fec0::a:cf:${hi.toString(16)}:${lo.toString(16)}`,
    'domains:',
    `  - ffc${i}`,
    `  - ${lo}.${hi}.10.in-addr.arpa`,
    'nameservers:',
    `  - 10.${hi}.${lo}.53`,
    '',
  ].join('\n');
}

function fixture(count, validate) {
  const dir = path.join(tmp, `n${count}-${validate ? 'v' : 'nv'}`);
  const meta = path.join(dir, 'meta');
  const tinc = path.join(dir, 'tinc');
  mkdirSync(meta, { recursive: true });
  mkdirSync(path.join(tinc, 'hosts'), { recursive: true });
  for (let i = 1; i <= count; i++) writeFileSync(path.join(meta, `c${i}`), community(i));
  const nodes = ['c1gw1', 'c2gw1', 'c3gw1'];
  writeFileSync(path.join(tinc, 'metanodes'), `${nodes.join('\n')}\n`);
  for (const n of nodes)
    writeFileSync(path.join(tinc, 'hosts', n), `Address = ${n}.example.org\nPort = 655\n`);
  const v = validate ? '' : '\n    validate: false';
  const out = (kind, extra, target) =>
    `  - kind: ${kind}\n    ${extra}\n    target: ${dir}/out/${target}${v}`;
  const config = [
    'icvpn:',
    `  meta: { dir: ${meta} }`,
    `  tinc: { dir: ${tinc} }`,
    '  pull: false',
    '  nodeName: c1gw1',
    '  outputs:',
    out('bgp', 'family: ipv4', 'bgp4.conf'),
    out('bgp', 'family: ipv6', 'bgp6.conf'),
    out('roa', 'family: ipv4', 'roa4.conf'),
    out('roa', 'family: ipv6', 'roa6.conf'),
    out('dns', 'format: bind', 'named.conf.icvpn'),
    out('tinc', 'mode: file', 'connects.conf'),
    '',
  ].join('\n');
  writeFileSync(path.join(dir, 'photon.yaml'), config);
  return path.join(dir, 'photon.yaml');
}

const env = { ...process.env, PHOTON_DATA_DIR: path.join(tmp, 'data'), HOME: tmp };

/** Wall time (ms) and peak RSS (MiB, from /usr/bin/time -v) of one run. */
function measure(argv) {
  const started = performance.now();
  const r = spawnSync('/usr/bin/time', ['-v', ...argv], { env, encoding: 'utf8' });
  const ms = performance.now() - started;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr.slice(-800)}`);
  const rss = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1] ?? 0) / 1024;
  return { ms, rss };
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function bench(argv) {
  measure(argv); // warm the page cache
  const samples = Array.from({ length: runs }, () => measure(argv));
  return { ms: median(samples.map((s) => s.ms)), rss: Math.max(...samples.map((s) => s.rss)) };
}

const update = (config) => [
  'node',
  bin,
  'icvpn',
  'update',
  '--dry-run',
  '--no-lock',
  '--log-level',
  'error',
  '-c',
  config,
];

execFileSync('node', [bin, '--version'], { env });
const baseline = bench(['node', '-e', '0']);
const rows = [];
const c170 = bench(update(fixture(170, true)));
rows.push(['170, validators on (bird/bird6 -p, named-checkconf)', c170]);
const c170nv = bench(update(fixture(170, false)));
rows.push(['170, validators off', c170nv]);
console.log(`\n### icvpn update --dry-run (median of ${runs} runs)\n`);
console.log('| communities | wall ms | × node -e 0 | peak RSS MiB |');
console.log('|---|---:|---:|---:|');
console.log(`| node -e 0 | ${baseline.ms.toFixed(0)} | 1.00 | ${baseline.rss.toFixed(0)} |`);
for (const [label, r] of rows) {
  console.log(`| ${label} | ${r.ms.toFixed(0)} | ${(r.ms / baseline.ms).toFixed(2)} | ${r.rss.toFixed(0)} |`);
}

console.log('\n### Scaling (validators off, so only photon itself is measured)\n');
console.log('| communities | wall ms | ms above 170 | peak RSS MiB |');
console.log('|---|---:|---:|---:|');
for (const n of [170, 1000, 10000]) {
  const r = n === 170 ? c170nv : bench(update(fixture(n, false)));
  console.log(`| ${n} | ${r.ms.toFixed(0)} | ${(r.ms - c170nv.ms).toFixed(0)} | ${r.rss.toFixed(0)} |`);
}
rmSync(tmp, { recursive: true, force: true });
