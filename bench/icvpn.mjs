#!/usr/bin/env node
// Benchmark of `photon icvpn update --dry-run` (bgp 4+6, roa 4+6, dns, tinc) on synthetic
// icvpn-meta data: the whole CLI against `node -e 0` in the same run, and the icvpn services
// alone (in a fresh process per sample, so the first — cold — run is what a cron job pays).
// Then scaling with 1,000 and 10,000 communities. Runs the BUILT code:
// `npx tsc -b && node scripts/bundle.mjs` first (or `node bench/run.mjs icvpn`). Prints Markdown.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compareWithFloor, floorTable, fmt, markdownTable, median, photonBin, repoRoot } from './lib.mjs';

const dist = path.join(repoRoot, 'packages/plugin-icvpn/dist');
const runs = Number(process.env.BENCH_RUNS ?? 7);

const OUTPUTS = [
  { kind: 'bgp', family: 'ipv4', target: 'bgp4.conf' },
  { kind: 'bgp', family: 'ipv6', target: 'bgp6.conf' },
  { kind: 'roa', family: 'ipv4', target: 'roa4.conf' },
  { kind: 'roa', family: 'ipv6', target: 'roa6.conf' },
  { kind: 'dns', format: 'bind', target: 'named.conf.icvpn' },
  { kind: 'tinc', mode: 'file', target: 'connects.conf' },
];

/** icvpn settings for a synthetic directory; `validate: false` turns the real validators off. */
function settingsFor(dir, validate) {
  return {
    meta: { dir: path.join(dir, 'meta') },
    tinc: { dir: path.join(dir, 'tinc') },
    pull: false,
    nodeName: 'c1gw1',
    outputs: OUTPUTS.map((o) => ({
      ...o,
      target: path.join(dir, 'out', o.target),
      ...(validate ? {} : { validate: false }),
    })),
  };
}

/** Child mode: one update in this fresh process, timed around the services only. */
async function inProcess(dir, validate) {
  const { FileStore, GitService, gitSettings, RootSandbox, Shell } = await import('@ffphoton/core');
  const { IcvpnUpdate } = await import(path.join(dist, 'services/icvpn-update.js'));
  const { MetaReader } = await import(path.join(dist, 'services/meta-reader.js'));
  const { CommunityValidator } = await import(path.join(dist, 'services/community-validator.js'));
  const { buildOutput } = await import(path.join(dist, 'services/output-builder.js'));
  const { icvpnSettings } = await import(path.join(dist, 'settings.js'));
  const settings = icvpnSettings.schema.parse(settingsFor(dir, validate));
  const files = new FileStore(new RootSandbox(), { dryRun: true });
  const git = new GitService(gitSettings.schema.parse({}), files, 'bench');
  const update = () =>
    new IcvpnUpdate(new Shell({ dryRun: true, defaultTimeoutMs: 120_000 }), files, git).run(settings, {
      outputs: settings.outputs,
    });
  const cpu = () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  };
  let started = performance.now();
  const cpuStarted = cpu();
  await update();
  const cold = performance.now() - started;
  // CPU time (all threads, GC included) is less sensitive to other load on the machine than wall time.
  const coldCpu = cpu() - cpuStarted;
  started = performance.now();
  await update();
  const warm = performance.now() - started;
  // Where the warm run's time goes.
  started = performance.now();
  const validator = new CommunityValidator();
  const readProblems = await new MetaReader(files).read(settings.meta.dir, (file) => validator.add(file));
  const readMs = performance.now() - started;
  started = performance.now();
  const valid = validator.finish(readProblems);
  const validateMs = performance.now() - started;
  started = performance.now();
  for (const spec of settings.outputs)
    await buildOutput(spec, {
      files,
      communities: valid.communities,
      tincDir: settings.tinc.dir,
      nodeName: 'c1gw1',
    });
  const renderMs = performance.now() - started;
  console.log(JSON.stringify({ cold, coldCpu, warm, readMs, validateMs, renderMs }));
}

if (process.argv[2] === '--in-process') {
  await inProcess(process.argv[3], process.argv[4] === '1');
  process.exit(0);
}

const { writeSyntheticMeta } = await import(path.join(dist, 'test-helpers/synthetic-meta.js'));
const tmp = mkdtempSync(path.join(os.tmpdir(), 'bench-icvpn-'));
const env = { PHOTON_DATA_DIR: path.join(tmp, 'data'), HOME: tmp };

function fixture(count, validate) {
  const dir = path.join(tmp, `n${count}-${validate ? 'v' : 'nv'}`);
  writeSyntheticMeta(dir, count);
  writeFileSync(path.join(dir, 'photon.yaml'), JSON.stringify({ icvpn: settingsFor(dir, validate) }));
  return dir;
}

const update = (dir) => ({
  argv: [
    'node',
    photonBin,
    'icvpn',
    'update',
    '--dry-run',
    '--no-lock',
    '--log-level',
    'error',
    '-c',
    path.join(dir, 'photon.yaml'),
  ],
  env,
  expectStatus: 0,
});

function services(dir, validate) {
  const samples = Array.from({ length: runs }, () => {
    const r = spawnSync(
      'node',
      [path.join(repoRoot, 'bench/icvpn.mjs'), '--in-process', dir, validate ? '1' : '0'],
      {
        encoding: 'utf8',
        env: { ...process.env, NODE_ENV: 'production' },
      },
    );
    if (r.status !== 0) throw new Error(r.stderr);
    return JSON.parse(r.stdout.trim().split('\n').pop());
  });
  const pick = (key) => median(samples.map((s) => s[key]));
  return {
    cold: pick('cold'),
    coldCpu: pick('coldCpu'),
    warm: pick('warm'),
    read: pick('readMs'),
    validate: pick('validateMs'),
    render: pick('renderMs'),
  };
}

try {
  const dirs = {
    v170: fixture(170, true),
    n170: fixture(170, false),
    n1000: fixture(1000, false),
    n10000: fixture(10000, false),
  };
  const cli = compareWithFloor(
    [
      { name: '170, validators on (bird/bird6 -p, named-checkconf)', ...update(dirs.v170) },
      { name: '170, validators off', ...update(dirs.n170) },
      { name: '1,000, validators off', ...update(dirs.n1000) },
      { name: '10,000, validators off', ...update(dirs.n10000) },
    ],
    { runs, warmup: 1 },
  );
  console.log(`### photon icvpn update --dry-run, whole CLI (median of ${runs} runs)\n`);
  console.log(floorTable(cli, { digits: 0 }));

  const rows = [
    ['170, validators on', services(dirs.v170, true)],
    ['170', services(dirs.n170, false)],
    ['1,000', services(dirs.n1000, false)],
    ['10,000', services(dirs.n10000, false)],
  ];
  console.log(
    `\n### icvpn services in-process (IcvpnUpdate.run, dry-run; median of ${runs} fresh processes)\n`,
  );
  console.log(
    markdownTable(
      [
        'communities',
        'first run ms',
        'first run CPU ms',
        'second run ms',
        'read, parse, check each file ms',
        'cross-community checks ms',
        'render 6 outputs ms',
      ],
      rows.map(([name, s]) => [
        name,
        fmt(s.cold, 0),
        fmt(s.coldCpu, 0),
        fmt(s.warm, 0),
        fmt(s.read, 0),
        fmt(s.validate, 0),
        fmt(s.render, 0),
      ]),
    ),
  );
  const [, , r1000, r10000] = rows.map(([, s]) => s.coldCpu);
  console.log(
    `\nScaling (first run, CPU): ${fmt(r1000, 0)} ms for 1,000, ${fmt(r10000, 0)} ms for 10,000 = ${fmt(r10000 / r1000, 1)}× for 10× the communities.`,
  );
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
