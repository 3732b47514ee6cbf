// Issue 14: `kill -9` at random points of `photon fastd sync-keys` and `photon git snapshot` (the
// BUILT binary, real git, bare repositories on disk), each followed by a normal run. The inputs change
// before every killed run (keys added, changed, removed, the key repository rewound; snapshot files
// changed, added, removed), so the kill lands in real work. After the next run it counts:
//  - failing next runs (exit ≠ 0),
//  - corrupt results: a peer file that is not the repository's, a verify state that is not the
//    repository's keys, a snapshot that is not the source files, a clone or bare repository that
//    `git fsck` refuses or that is not at the remote's commit,
//  - temp and lock files left anywhere in the sandbox after the next run.
// The whole process group is killed (node and its git children), as systemd or a timeout would.
// git.networkTimeoutSeconds is 2 here: a git lock a killed git left is removed once it is that old
// (120 s by default), so the next run is started 2 s after a kill that left one.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fmt, markdownTable, median, photonBin } from './lib.mjs';

const KILLS = Number(process.env.BENCH_KILLS ?? 100);
const LOCK_BOUND_S = 2;
const base = mkdtempSync(path.join(os.tmpdir(), 'bench-kill9-'));
const git = (cwd, ...args) =>
  execFileSync('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@x', ...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
const put = (file, text) => {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
};
let seed = 42;
const random = () => {
  // A fixed sequence: the same kill points on every run of the bench.
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
};
const pick = (list) => list[Math.floor(random() * list.length)];
const hexKey = (n) => n.toString(16).padStart(64, '0');

function bareWithWork(name, files) {
  const bare = path.join(base, `${name}.git`);
  const work = path.join(base, `${name}-work`);
  git(base, 'init', '--quiet', '--bare', '--initial-branch=main', bare);
  git(base, 'clone', '--quiet', bare, work);
  for (const [file, text] of Object.entries(files)) put(path.join(work, file), text);
  git(work, 'add', '-A');
  git(work, 'commit', '--quiet', '-m', 'seed');
  git(work, 'push', '--quiet', 'origin', 'HEAD:main');
  return { bare, work };
}

const root = path.join(base, 'root');
const peersDir = path.join(root, 'etc/fastd/mz/peers');
const snapSource = path.join(root, 'etc/snap');
mkdirSync(peersDir, { recursive: true });
mkdirSync(path.join(root, 'var/lib/photon'), { recursive: true });
let nextKey = 1;
const initialKeys = {};
for (; nextKey <= 300; nextKey++) initialKeys[`node${nextKey}`] = `key "${hexKey(nextKey)}";\n`;
const keys = bareWithWork('keys', { ...initialKeys, 'README.md': '# keys\n' });
const snap = bareWithWork('configs', { 'README.md': 'configs\n' });
let nextFile = 1;
for (; nextFile <= 200; nextFile++)
  put(path.join(snapSource, `file${nextFile}.conf`), `setting ${nextFile}\n`);

const config = path.join(base, 'photon.json');
writeFileSync(
  config,
  JSON.stringify({
    photon: {
      hostname: 'gw1',
      dataDir: '/var/lib/photon',
      services: { reload: ['true'], restart: ['true'], signal: ['true'] },
    },
    git: {
      home: '/root',
      networkTimeoutSeconds: LOCK_BOUND_S,
      identity: { name: 'gw1', email: 'gw1@bench' },
      snapshot: {
        repository: { remote: snap.bare, dir: '/srv/configs' },
        paths: ['/etc/snap'],
        commands: {},
      },
    },
    fastd: {
      verifyStateFile: '/var/lib/photon/fastd-verify.json',
      instances: [
        {
          name: 'mz',
          interface: 'mzVPN',
          configFile: '/etc/fastd/mz/fastd.conf',
          statusSocket: '/run/fastd-mz.sock',
          peersDir: '/etc/fastd/mz/peers',
          peersRepo: { remote: keys.bare, local: '/var/lib/photon/clones/keys' },
        },
      ],
    },
  }),
);
const argvOf = (task) => [
  photonBin,
  ...task.split(' '),
  '--root',
  root,
  '--config',
  config,
  '--log-level',
  'silent',
];
const env = { ...process.env, PHOTON_DATA_DIR: '/var/lib/photon', NODE_ENV: 'production' };

/** Runs `task`; with `killAfterMs` its whole process group gets SIGKILL then. Resolves {status, killed, ms}. */
function run(task, killAfterMs) {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(
      'node',
      argvOf(task).map((a) => (a === 'silent' ? 'error' : a)),
      {
        env,
        detached: true,
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    let killed = false;
    const timer =
      killAfterMs === undefined
        ? undefined
        : setTimeout(() => {
            killed = true;
            try {
              process.kill(-child.pid, 'SIGKILL');
            } catch {
              killed = false;
            }
          }, killAfterMs);
    child.on('exit', (status) => {
      clearTimeout(timer);
      resolve({ status, killed, ms: performance.now() - started, stderr });
    });
  });
}

/** Every file below `dir`, relative paths. */
function walk(dir, prefix = '') {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const rel = path.join(prefix, entry.name);
    if (entry.isDirectory()) out.push(...walk(path.join(dir, entry.name), rel));
    else out.push(rel);
  }
  return out;
}

/** Temp files (FileStore's `.name.hex.tmp`, git's tmp_obj_*) and lock files anywhere in the sandbox. */
const leftovers = () =>
  walk(root).filter((f) => /\.tmp$|\.lock$|(^|\/)tmp_|(^|\/)tmp-/.test(f) && !f.includes('/locks/'));
const gitLocks = () => walk(root).filter((f) => /\.git\/.*\.lock$/.test(f));

function fsckFails(dir) {
  try {
    git(dir, 'fsck', '--no-dangling', '--no-progress');
    return 0;
  } catch {
    return 1;
  }
}

/** Every file of `tree` (a commit-ish) under `prefix` in one `git archive`: name → content. */
function treeFiles(repo, tree, prefix = '') {
  const dir = mkdtempSync(path.join(base, 'tree-'));
  execFileSync('sh', ['-c', `git archive ${tree} ${prefix} | tar -x -C "${dir}"`], { cwd: repo });
  const files = new Map(
    walk(path.join(dir, prefix)).map((f) => [f, readFileSync(path.join(dir, prefix, f), 'utf8')]),
  );
  rmSync(dir, { recursive: true, force: true });
  return files;
}

/** Peer files, verify state and clone against the key repository: the number of wrong things. */
function checkKeys() {
  let wrong = 0;
  const head = git(keys.bare, 'rev-parse', 'main').trim();
  const tree = treeFiles(keys.bare, 'main');
  tree.delete('README.md');
  const names = [...tree.keys()];
  const present = readdirSync(peersDir).filter((n) => !n.startsWith('.'));
  wrong += present.filter((n) => !tree.has(n)).length + names.filter((n) => !present.includes(n)).length;
  for (const name of names.filter((n) => present.includes(n))) {
    if (readFileSync(path.join(peersDir, name), 'utf8') !== tree.get(name)) wrong++;
  }
  const want = names.map((n) => /key "([0-9a-f]{64})"/.exec(tree.get(n))[1]).sort();
  try {
    const state = JSON.parse(readFileSync(path.join(root, 'var/lib/photon/fastd-verify.json'), 'utf8'));
    if (JSON.stringify(state.instances.mz.keys) !== JSON.stringify(want)) wrong++;
  } catch {
    wrong++;
  }
  const clone = path.join(root, 'var/lib/photon/clones/keys');
  if (git(clone, 'rev-parse', 'HEAD').trim() !== head) wrong++;
  if (git(clone, 'status', '--porcelain').trim() !== '') wrong++;
  return wrong + fsckFails(clone) + fsckFails(keys.bare);
}

/** The snapshot in the bare repository against the source files: the number of wrong things. */
function checkSnapshot() {
  let wrong = 0;
  const sources = readdirSync(snapSource);
  const tree = treeFiles(snap.bare, 'main', 'gw1/etc/snap');
  wrong +=
    sources.filter((f) => !tree.has(f)).length + [...tree.keys()].filter((f) => !sources.includes(f)).length;
  for (const file of sources.filter((f) => tree.has(f))) {
    if (readFileSync(path.join(snapSource, file), 'utf8') !== tree.get(file)) wrong++;
  }
  const clone = path.join(root, 'srv/configs');
  if (git(clone, 'status', '--porcelain').trim() !== '') wrong++;
  if (git(clone, 'rev-parse', 'HEAD').trim() !== git(snap.bare, 'rev-parse', 'main').trim()) wrong++;
  return wrong + fsckFails(clone) + fsckFails(snap.bare);
}

/** Changes the key repository: keys added, changed, removed; now and then the remote is rewound. */
function changeKeys(round) {
  if (round % 5 === 4) {
    git(keys.work, 'reset', '--quiet', '--hard', 'HEAD~1');
    git(keys.work, 'push', '--quiet', '--force', 'origin', 'HEAD:main');
    return;
  }
  const present = readdirSync(keys.work).filter((n) => n.startsWith('node'));
  for (let i = 0; i < 20; i++, nextKey++)
    put(path.join(keys.work, `node${nextKey}`), `key "${hexKey(nextKey)}";\n`);
  for (let i = 0; i < 10; i++) {
    const name = pick(present);
    put(path.join(keys.work, name), `${readFileSync(path.join(keys.work, name), 'utf8')}float yes;\n`);
  }
  for (let i = 0; i < 10; i++) rmSync(path.join(keys.work, pick(present)), { force: true });
  git(keys.work, 'add', '-A');
  git(keys.work, 'commit', '--quiet', '-m', `round ${round}`);
  git(keys.work, 'push', '--quiet', 'origin', 'HEAD:main');
}

function changeSnapshotSources(round) {
  const present = readdirSync(snapSource);
  for (let i = 0; i < 20; i++)
    put(path.join(snapSource, pick(present)), `setting changed in round ${round} ${i}\n`);
  for (let i = 0; i < 5; i++, nextFile++)
    put(path.join(snapSource, `file${nextFile}.conf`), `new ${nextFile}\n`);
  for (let i = 0; i < 5; i++) rmSync(path.join(snapSource, pick(present)), { force: true });
}

const tasks = {
  'fastd sync-keys': { change: changeKeys, check: checkKeys },
  'git snapshot': { change: changeSnapshotSources, check: checkSnapshot },
};
const stats = Object.fromEntries(
  Object.keys(tasks).map((task) => [
    task,
    {
      kills: 0,
      midRun: 0,
      locks: 0,
      failing: 0,
      corrupt: 0,
      temps: new Set(),
      failures: [],
      typicalMs: 0,
      nextMs: [],
    },
  ]),
);
try {
  // First runs (clone, write everything), then a changing run each to learn how long real work takes.
  for (const [task, { change }] of Object.entries(tasks)) {
    if ((await run(task)).status !== 0) throw new Error(`${task}: first run failed`);
    change(0);
    stats[task].typicalMs = (await run(task)).ms;
  }
  for (let round = 1; round <= KILLS; round++) {
    const task = round % 2 ? 'fastd sync-keys' : 'git snapshot';
    const s = stats[task];
    tasks[task].change(round);
    const killed = await run(task, Math.round(random() * s.typicalMs * 1.2));
    s.kills++;
    if (killed.killed) s.midRun++;
    if (gitLocks().length > 0) {
      s.locks++;
      await new Promise((resolve) => setTimeout(resolve, LOCK_BOUND_S * 1000 + 100));
    }
    const next = await run(task);
    s.nextMs.push(next.ms);
    if (next.status !== 0) {
      s.failing++;
      s.failures.push(
        `round ${round}: exit ${next.status} (${next.stderr.trim().split('\n').pop().slice(0, 300)})`,
      );
    }
    s.corrupt += tasks[task].check();
    // A file is counted for the task whose next run it was first seen after.
    for (const file of leftovers())
      if (!Object.values(stats).some((t) => t.temps.has(file))) s.temps.add(file);
  }
  const rows = Object.entries(stats).map(([task, s]) => [
    `\`${task}\``,
    s.kills,
    s.midRun,
    s.locks,
    s.failing,
    s.corrupt,
    s.temps.size,
    fmt(s.typicalMs, 0),
    fmt(median(s.nextMs), 0),
  ]);
  console.log(
    `${KILLS} runs killed with SIGKILL (process group) at a random point within 1.2 × a changing run's time, each followed by a normal run; inputs change before every killed run (keys: +20, 10 changed, −10, every 5th round the remote rewound; snapshot: 20 changed, +5, −5 of 200 files).\n`,
  );
  console.log(
    markdownTable(
      [
        'command',
        'kills',
        'killed mid-run',
        'kills that left a git lock',
        'next runs failing',
        'corrupt results',
        'temp/lock files after a next run (distinct)',
        'changing run ms',
        'next run ms (median)',
      ],
      rows,
    ),
  );
  const failures = Object.entries(stats).flatMap(([task, s]) => s.failures.map((f) => `${task} ${f}`));
  if (failures.length > 0) console.log(`\nFailing next runs: ${failures.join('; ')}`);
  const temps = [...new Set(Object.values(stats).flatMap((s) => [...s.temps]))];
  if (temps.length > 0)
    console.log(
      `\nTemp/lock files seen after a next run (anywhere in the sandbox): ${temps.slice(0, 10).join(', ')}${temps.length > 10 ? ', …' : ''}`,
    );
} finally {
  rmSync(base, { recursive: true, force: true });
}
