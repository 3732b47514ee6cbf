#!/usr/bin/env node
// `npm run demo`: one whole cycle of gateway "kaschu" of the example community, in a sandbox.
// Every absolute path resolves under .demo/root (--root); remotes are local bare repositories;
// the daemons a gateway runs (fastd's status socket, the other gateways' status pages) are
// played with recorded data from real gateways. See examples/demo/README.md.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
// PHOTON_DEMO_DIR: another place for the sandbox (tests that need a whole gateway's files).
const demo = process.env.PHOTON_DEMO_DIR ? path.resolve(process.env.PHOTON_DEMO_DIR) : path.join(repo, '.demo');
const root = path.join(demo, 'root');
const remotes = path.join(demo, 'remotes');
const asRoot = process.getuid?.() === 0;

const sh = (cmd, args, options = {}) => {
  const r = spawnSync(cmd, args, { cwd: repo, encoding: 'utf8', ...options });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr || r.stdout}`);
  return r.stdout;
};
const which = (bin) =>
  ['/usr/bin', '/bin', '/usr/sbin', '/sbin', '/usr/local/bin'].some((d) => existsSync(path.join(d, bin)));

// 1. What the demo needs: npm dependencies and a build (and, as root, the Debian tools).
const ensure = ['scripts/ensure.mjs', '--deps', '--build', ...(asRoot ? ['--system-packages'] : [])];
if (spawnSync(process.execPath, ensure, { cwd: repo, stdio: 'inherit' }).status !== 0) process.exit(1);

// 2. A fresh sandbox and bare repositories as the remotes.
rmSync(demo, { recursive: true, force: true });
mkdirSync(remotes, { recursive: true });
function bareRepo(name, source) {
  const work = path.join(demo, 'work', name);
  cpSync(source, work, { recursive: true });
  const git = (...args) => sh('git', ['-C', work, ...args]);
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('-c', 'user.name=demo', '-c', 'user.email=demo@example.org', 'commit', '-q', '-m', `${name}: initial`);
  const bare = path.join(remotes, `${name}.git`);
  sh('git', ['clone', '-q', '--bare', work, bare]);
  return bare;
}
const icvpnMeta = bareRepo('icvpn-meta', path.join(repo, 'packages/plugin-icvpn/test-data/meta'));
const icvpnTinc = bareRepo('icvpn', path.join(repo, 'packages/plugin-icvpn/test-data/tinc'));
const peers = bareRepo('peers-ffmz', path.join(repo, 'packages/plugin-fastd/test-data/peers-synthetic'));
const configs = bareRepo('gateway-configs', path.join(repo, 'examples/demo/gateway-configs'));

// 3. The gateway's own files: fastd configs with their `peer limit`, host facts for alfred.
const put = (file, text) => {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), text);
};
put('/etc/fastd/mzvpn-1406/peer_limit.conf', '# managed by photon fastd limit\npeer limit 200;\n');
put('/etc/fastd/wivpn-1406/peer_limit.conf', '# managed by photon fastd limit\npeer limit 200;\n');
put('/etc/fastd/mwuvpn-1406/fastd.conf', 'interface "mwuVPN";\n# peer limit 10;\npeer limit 60;\n');
for (const file of ['/proc/uptime', '/proc/loadavg', '/proc/meminfo', '/proc/cpuinfo', '/etc/os-release']) {
  if (existsSync(file)) put(file, readFileSync(file, 'utf8'));
}
for (const [ifname, mac] of [
  ['mzBR', '02:ca:fe:00:00:01'],
  ['wiBR', '02:ca:fe:00:00:02'],
  ['mzBAT', '02:ca:fe:00:00:03'],
  ['wiBAT', '02:ca:fe:00:00:04'],
]) {
  put(`/sys/class/net/${ifname}/address`, `${mac}\n`);
  for (const counter of ['rx_bytes', 'tx_bytes', 'rx_packets', 'tx_packets'])
    put(`/sys/class/net/${ifname}/statistics/${counter}`, '1000\n');
}

// 4. The daemons: fastd status sockets with a recorded status, the other gateways' status pages.
const status = readFileSync(path.join(repo, 'packages/plugin-fastd/test-data/status-gw-tap.raw.json'));
const servers = [];
for (const instance of ['mzvpn-1406', 'wivpn-1406', 'mwuvpn-1406']) {
  const socket = path.join(root, `var/run/fastd-${instance}.status`);
  mkdirSync(path.dirname(socket), { recursive: true });
  const server = net.createServer((c) => c.end(status));
  await new Promise((resolve) => server.listen(socket, resolve));
  servers.push(server);
}
const peersOf = (gateway) => 20 + gateway.length;
const gateways = http.createServer((req, res) => {
  const gateway = (req.url ?? '').replace(/^\//, '').replace(/\.json$/, '');
  res.setHeader('content-type', 'application/json');
  res.end(
    JSON.stringify({
      _timestamp: Math.floor(Date.now() / 1000),
      'mzvpn-1406': peersOf(gateway),
      'wivpn-1406': peersOf(gateway) - 5,
    }),
  );
});
await new Promise((resolve) => gateways.listen(0, '127.0.0.1', resolve));
servers.push(gateways);

// 5. The overlay that points the example community at all of that.
const generated = path.join(demo, 'generated.yaml');
writeFileSync(
  generated,
  `# Written by scripts/demo.mjs\nicvpn:\n  meta: { remote: ${icvpnMeta}, dir: /var/lib/photon/icvpn-meta }\n  tinc: { remote: ${icvpnTinc}, dir: /etc/tinc/icvpn, network: icvpn }\n` +
    `fastd:\n  limit:\n    gateways: [kaschu, lotuswurzel, spinat, wasserfloh]\n    statusUrl: http://127.0.0.1:${gateways.address().port}/{gateway}.json\n    fetchTimeoutMs: 2000\n` +
    // The snapshot pushes to a local bare repository; the host's crontab and package list stay private.
    `git:\n  snapshot:\n    repository: { remote: ${configs}, dir: /var/lib/photon/gateway-configs }\n    commands: { uname: [uname, -sr] }\n  repositories: []\n` +
    `web:\n  accounts:\n    file: /var/lib/photon/gateway-configs/exitvpn.yaml\n    to: [technik@example.org]\n`,
);
const fastdPeers = `fastd:\n  instances:\n    - { name: mzvpn-1406, interface: mzVPN, configFile: /etc/fastd/mzvpn-1406/peer_limit.conf, statusSocket: /var/run/fastd-mzvpn-1406.status, peersDir: /etc/fastd/mzvpn-1406/peers, peersRepo: { remote: ${peers}, local: /var/lib/photon/clones/peers-ffmz } }\n    - { name: wivpn-1406, interface: wiVPN, configFile: /etc/fastd/wivpn-1406/peer_limit.conf, statusSocket: /var/run/fastd-wivpn-1406.status }\n`;
writeFileSync(path.join(demo, 'generated-fastd.yaml'), fastdPeers);

// 6. The cycle: what kaschu's crontab runs, once each.
const config = [
  '--config',
  path.join(repo, 'examples/community'),
  '--config',
  path.join(repo, 'examples/demo/overrides.yaml'),
  '--config',
  generated,
  '--config',
  path.join(demo, 'generated-fastd.yaml'),
];
const jobs = [
  { name: 'settings', args: ['config', 'validate'] },
  { name: 'icvpn', args: ['icvpn', 'update'], needs: ['bird', 'bird6', 'named-checkconf'] },
  { name: 'fastd keys', args: ['fastd', 'sync-keys'] },
  { name: 'fastd limit', args: ['fastd', 'limit'] },
  { name: 'fastd status', args: ['fastd', 'status'] },
  { name: 'git snapshot', args: ['git', 'snapshot'] },
  { name: 'web site', args: ['web', 'build'] },
  { name: 'schedule', args: ['schedule', 'crontab', '--host', 'Kaschu'] },
];
const env = {
  ...process.env,
  PHOTON_DATA_DIR: '/var/lib/photon',
  HOME: '/root',
  XDG_CONFIG_HOME: '',
  XDG_DATA_HOME: '',
};
const { spawn } = await import('node:child_process');
const runPhoton = (args) =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(repo, 'packages/cli/bin/run.js'), ...args], {
      cwd: repo,
      env,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });

// alfred announce needs a running alfred and batman-adv interfaces, which a sandbox cannot give
// without changing the host's network; its real run is in test/alfred.test.ts (network namespaces).
console.log(`\nphoton demo: one cycle of gateway kaschu, sandbox ${path.relative(repo, root)}\n`);
let failed = 0;
for (const job of jobs) {
  const missing = (job.needs ?? []).filter((bin) => !which(bin));
  if (missing.length) {
    console.log(
      `  -  ${job.name.padEnd(13)} skipped: needs ${missing.join(', ')} (apt-get install the Debian packages, or run the demo as root)`,
    );
    continue;
  }
  const { code, stdout, stderr } = await runPhoton([...job.args, '--root', root, ...config, '--json']);
  let summary;
  try {
    summary = JSON.parse(stdout).summary;
  } catch {
    summary = (stderr || stdout).trim().split('\n').pop();
  }
  const ok = code === 0;
  if (!ok && code !== 5) failed += 1;
  console.log(`  ${ok ? '✓' : code === 5 ? '!' : '✗'}  ${job.name.padEnd(13)} exit ${code}  ${summary}`);
  for (const line of stderr.split('\n').filter(Boolean)) {
    try {
      console.log(`       ${JSON.parse(line).msg}`);
    } catch {
      console.log(`       ${line}`);
    }
  }
}
for (const server of servers) server.close();

const history = await runPhoton(['history', '--root', root, ...config]);
console.log(`\nphoton history:\n${history.stdout.replace(/^/gm, '  ')}`);
const site = path.join(root, 'var/www/html/index.html');
if (existsSync(site)) console.log(`status site: file://${site}`);
const files = readdirSync(path.join(root, 'etc'), { recursive: true }).filter((f) =>
  /\.(conf|json)$/.test(String(f)),
);
console.log(
  `generated under ${path.relative(repo, root)}/etc: ${files.length} files, e.g. ${files.slice(0, 4).join(', ')}`,
);
process.exit(failed ? 1 : 0);
