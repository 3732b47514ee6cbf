// Issue 3: `photon git snapshot` under contention and on a large tree. Runs the BUILT binary
// (`npx tsc -b packages/cli && node scripts/bundle.mjs`) against bare repositories on disk.
//  1. 7 gateways × 20 rounds of `git snapshot` into one bare repository, all at once:
//     commits expected vs found (must be equal) and wall time.
//  2. A snapshot of 500 files: first run (clone, copy, commit, push) and an unchanged
//     second run (must be a no-op: no commit, exit 0).
// Prints Markdown tables; `node -e 0` is measured in the same run as the floor.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compareWithFloor, fmt, markdownTable, photonBin, runOnce } from './lib.mjs';

const GATEWAYS = Number(process.env.BENCH_GATEWAYS ?? 7);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const FILES = Number(process.env.BENCH_FILES ?? 500);
const base = mkdtempSync(path.join(os.tmpdir(), 'bench-git-'));
const git = (cwd, ...args) => execFileSync('git', args, { cwd, encoding: 'utf8' });
const put = (file, text) => {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
};

function bareRepo(name) {
  const bare = path.join(base, `${name}.git`);
  const seed = path.join(base, `${name}-seed`);
  git(base, 'init', '--quiet', '--bare', '--initial-branch=main', bare);
  git(base, 'clone', '--quiet', bare, seed);
  writeFileSync(path.join(seed, 'README.md'), 'gateway-configs\n');
  git(seed, 'add', '-A');
  git(seed, '-c', 'user.name=bench', '-c', 'user.email=bench@x', 'commit', '--quiet', '-m', 'seed');
  git(seed, 'push', '--quiet', 'origin', 'HEAD:main');
  return bare;
}

function gateway(name, bare, paths) {
  const root = path.join(base, name);
  mkdirSync(root, { recursive: true });
  const config = path.join(base, `${name}.yaml`);
  writeFileSync(
    config,
    JSON.stringify({
      photon: { hostname: name, dataDir: '/var/lib/photon' },
      git: {
        home: '/root',
        identity: { name, email: `${name}@bench` },
        snapshot: { repository: { remote: bare, dir: '/srv/gateway-configs' }, paths, commands: {} },
      },
    }),
  );
  return {
    root,
    argv: ['node', photonBin, 'git', 'snapshot', '--root', root, '--config', config, '--log-level', 'error'],
  };
}

const commitsIn = (bare) => Number(git(bare, 'rev-list', '--count', 'main').trim());

function runAsync(argv) {
  return new Promise((resolve) => {
    const child = spawn(argv[0], argv.slice(1), {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, NODE_ENV: 'production' },
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

try {
  const floor = compareWithFloor([], { runs: 5, warmup: 1 })[0];

  // 1. Contention.
  const shared = bareRepo('contention');
  const gateways = Array.from({ length: GATEWAYS }, (_, i) =>
    gateway(`gw${String(i + 1).padStart(2, '0')}`, shared, ['/etc/bird']),
  );
  const before = commitsIn(shared);
  let failures = 0;
  const started = performance.now();
  await Promise.all(
    gateways.map(async (gw) => {
      for (let round = 0; round < ROUNDS; round++) {
        put(
          path.join(gw.root, 'etc/bird/bird.conf'),
          `# ${path.basename(gw.root)} round ${round}\nrouter id 10.0.0.1;\n`,
        );
        const { code, stderr } = await runAsync(gw.argv);
        if (code !== 0) {
          failures++;
          console.error(`${path.basename(gw.root)} round ${round}: exit ${code}\n${stderr.slice(-800)}`);
        }
      }
    }),
  );
  const wallMs = performance.now() - started;
  const expected = GATEWAYS * ROUNDS;
  const found = commitsIn(shared) - before;
  console.log(
    `\n### git snapshot: ${GATEWAYS} gateways × ${ROUNDS} rounds into one bare repository, all at once\n`,
  );
  console.log(
    markdownTable(
      [
        'gateways × rounds',
        'commits expected',
        'commits found',
        'failed runs',
        'wall (s)',
        `per round of ${GATEWAYS} runs (ms)`,
      ],
      [[`${GATEWAYS} × ${ROUNDS}`, expected, found, failures, fmt(wallMs / 1000, 2), fmt(wallMs / ROUNDS)]],
    ),
  );
  if (found !== expected) console.log(`\n**LOST COMMITS: expected ${expected}, found ${found}**`);

  // 2. 500 files.
  const big = bareRepo('large');
  const gw = gateway('gw-large', big, ['/etc/many']);
  for (let i = 0; i < FILES; i++)
    put(path.join(gw.root, `etc/many/dir${i % 20}/file${i}.conf`), `option ${i} = ${'x'.repeat(200)}\n`);
  const first = runOnce(gw.argv, { expectStatus: 0 });
  const afterFirst = commitsIn(big);
  const second = runOnce(gw.argv, { expectStatus: 0 });
  const afterSecond = commitsIn(big);
  console.log(`\n### git snapshot of ${FILES} files\n`);
  console.log(
    markdownTable(
      ['run', 'wall (ms)', 'peak RSS (MiB)', 'exit', 'new commits'],
      [
        ['`node -e 0` (floor)', fmt(floor.wallMs), fmt(floor.rssMiB), 0, '-'],
        [
          'first (clone, copy, commit, push)',
          fmt(first.wallMs),
          fmt(first.rssMiB),
          first.status,
          afterFirst - 1,
        ],
        [
          'second, unchanged (no-op)',
          fmt(second.wallMs),
          fmt(second.rssMiB),
          second.status,
          afterSecond - afterFirst,
        ],
      ],
    ),
  );
  if (afterSecond !== afterFirst)
    console.log('\n**the unchanged second run committed — it must be a no-op**');
  if (found !== expected || afterSecond !== afterFirst || failures > 0) process.exitCode = 1;
} finally {
  if (process.env.BENCH_KEEP) console.error(`kept ${base}`);
  else rmSync(base, { recursive: true, force: true });
}
