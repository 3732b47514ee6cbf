#!/usr/bin/env node
// What each entry of scripts/bundle/patches.mjs saves: for each, core's bundle is built without
// it into an installed copy of the built packages, its code cache warmed, and `photon config
// validate` on the example run against the full bundle, interleaved: median child CPU
// (`process.cpuUsage()` at exit) of each, and the difference. Run after `npm run build`:
//   node scripts/bundle/measure-patches.mjs [runs] [part,…]   (default 21 rounds per entry; only
//   the entries whose name contains one of the parts, to measure a doubtful one longer)
// Prints a table; the `saves` fields of patches.mjs are copied from it by hand.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuMedians } from '../../bench/lib.mjs';
import { installBuiltCopy } from '../installed-copy.mjs';
import { bundleCore } from './core.mjs';
import { LAZY_BUILTINS, PATCHES, STUBS } from './patches.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const rounds = Number(process.argv[2] ?? 21);
const only = process.argv[3]?.split(',');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'photon-patches-'));
const config = path.join(repo, 'examples/community');

const install = (dir) => installBuiltCopy(repo, dir);

const env = { NODE_ENV: 'production', HOME: scratch, PHOTON_DATA_DIR: path.join(scratch, 'data') };
/** Median child CPU ms of `config validate` from each bin, interleaved (bench/lib.mjs). */
const cpuOf = (...bins) =>
  cpuMedians(
    bins.map((bin) => [bin, 'config', 'validate', '-c', config]),
    { node: process.execPath, runs: rounds, env },
  );
function warm(bin) {
  for (const args of [
    ['config', 'show', '--config', config],
    ['exec', '--name', 'warm-up', '--', 'true'],
  ])
    spawnSync(process.execPath, [bin, ...args, '--root', scratch], {
      env: { ...process.env, ...env, PHOTON_REBUILD_CODE_CACHE: '1' },
    });
}

const base = install(path.join(scratch, 'base'));
warm(base);
const entries = [
  ...PATCHES.map((patch) => ({
    name: `${patch.file} ${patch.kind === 'lazy' ? `lazy ${patch.ids.join(', ')}` : patch.from.split('\n')[0].slice(0, 40)}`,
    without: [patch],
  })),
  { name: 'lazy built-ins', without: [LAZY_BUILTINS] },
  ...STUBS.map((stub) => ({ name: stub.name, without: [stub] })),
].filter((entry) => !only || only.some((part) => entry.name.includes(part)));
console.log(`| without | full bundle (ms CPU) | without it (ms CPU) | saves (ms) |\n|---|---|---|---|`);
for (const entry of entries) {
  const dir = path.join(scratch, 'variant');
  const bin = install(dir);
  const bundleDir = path.join(dir, 'node_modules/@ffphoton/core/dist/bundle');
  rmSync(bundleDir, { recursive: true, force: true });
  await bundleCore(repo, bundleDir, { without: new Set(entry.without) });
  warm(bin);
  const [full, without] = cpuOf(base, bin);
  console.log(
    `| ${entry.name.replaceAll('|', '\\|')} | ${full.toFixed(1)} | ${without.toFixed(1)} | ${(without - full).toFixed(1)} |`,
  );
  rmSync(dir, { recursive: true, force: true });
}
rmSync(scratch, { recursive: true, force: true });
