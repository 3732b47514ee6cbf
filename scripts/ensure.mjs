#!/usr/bin/env node
// Installs what the demo and the tests need, fast when everything is already there:
//   --deps            npm dependencies (npm ci when node_modules is missing or stale)
//   --build           compile every package (tsc -b, incremental)
//   --system-packages the Debian tools the real-tool tests drive (apt-get as root,
//                     otherwise fail with the exact command to run)
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const args = new Set(process.argv.slice(2));

/** Binary the tests run → the Debian package that ships it. */
const SYSTEM_PACKAGES = {
  git: 'git',
  fastd: 'fastd',
  alfred: 'alfred',
  batctl: 'batctl',
  bird: 'bird',
  'named-checkconf': 'bind9-utils',
  'unbound-checkconf': 'unbound',
  tincd: 'tinc',
  msmtp: 'msmtp',
  sshd: 'openssh-server',
  ssh: 'openssh-client',
  crontab: 'cron',
  vnstat: 'vnstat',
  ip: 'iproute2',
  ping: 'iputils-ping',
  script: 'bsdutils',
  chromium: 'chromium',
  sqlite3: 'sqlite3',
  vnstatd: 'vnstat',
  'ansible-playbook': 'ansible-core',
  'prometheus-node-exporter': 'prometheus-node-exporter',
  promtool: 'prometheus',
  groff: 'groff-base',
  man: 'man-db',
};

function run(cmd, argv, options = {}) {
  const result = spawnSync(cmd, argv, { cwd: repo, stdio: 'inherit', ...options });
  if (result.status !== 0) {
    console.error(`ensure: ${cmd} ${argv.join(' ')} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status || 1);
  }
}

function which(bin) {
  for (const dir of [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/sbin', '/usr/local/sbin']) {
    try {
      accessSync(path.join(dir, bin), constants.X_OK);
      return true;
    } catch {}
  }
  return false;
}

function ensureDeps() {
  const marker = path.join(repo, 'node_modules', '.package-lock.json');
  const lock = path.join(repo, 'package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  console.error('ensure: installing npm dependencies (npm ci)');
  run('npm', ['ci', '--no-audit', '--no-fund']);
}

function ensureBuild() {
  run(process.execPath, [path.join(repo, 'node_modules/typescript/bin/tsc'), '-b']);
  // Re-bundle only when an input changed (core's build, the bundler's rewrites, the bundled
  // dependencies): a running photon must not see its bundle swapped for nothing.
  const inputs = [
    'packages/core/tsconfig.tsbuildinfo',
    'scripts/bundle.mjs',
    'scripts/man-pages.mjs',
    'node_modules/.package-lock.json',
    // The bundler's parts, the loader it copies, every package it precompiles.
    ...['scripts/bundle', 'packages/core/loader'].flatMap((dir) =>
      readdirSync(path.join(repo, dir)).map((f) => `${dir}/${f}`),
    ),
    ...readdirSync(path.join(repo, 'packages'))
      .map((pkg) => `packages/${pkg}/tsconfig.tsbuildinfo`)
      .filter((f) => existsSync(path.join(repo, f))),
  ];
  const newestInput = Math.max(...inputs.map((f) => statSync(path.join(repo, f)).mtimeMs));
  const bundle = path.join(repo, 'packages/core/dist/bundle/core.cjs');
  const manPages = path.join(repo, 'packages/cli/man');
  if (!existsSync(bundle) || !existsSync(manPages) || statSync(bundle).mtimeMs < newestInput) {
    run(process.execPath, [path.join(repo, 'scripts/bundle.mjs')]);
  }
}

function ensureSystemPackages() {
  const missing = [
    ...new Set(
      Object.entries(SYSTEM_PACKAGES)
        .filter(([bin]) => !which(bin))
        .map(([, pkg]) => pkg),
    ),
  ];
  if (missing.length === 0) return;
  const command = `apt-get update && apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  if (process.getuid?.() !== 0) {
    console.error(
      `ensure: the real-tool tests need Debian packages that are missing. Run as root:\n  ${command}`,
    );
    process.exit(1);
  }
  console.error(`ensure: installing ${missing.join(' ')}`);
  // Keep package scripts from starting the daemons we install; the tests start their own.
  const policy = '/usr/sbin/policy-rc.d';
  const ownPolicy = !existsSync(policy);
  if (ownPolicy) writeFileSync(policy, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
  try {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    run('apt-get', ['update'], { env });
    run('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { env });
  } finally {
    if (ownPolicy) rmSync(policy, { force: true });
  }
}

if (args.has('--deps') || args.has('--build')) ensureDeps();
if (args.has('--system-packages')) ensureSystemPackages();
if (args.has('--build')) ensureBuild();
