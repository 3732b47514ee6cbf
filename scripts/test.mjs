#!/usr/bin/env node
// `npm test`: installs what is missing, builds, lints, type-checks the tests, runs every vitest
// project and prints one closing line "N passed, N failed" (extra arguments go to vitest).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const step = (cmd, argv, env = process.env) =>
  spawnSync(cmd, argv, { cwd: repo, stdio: 'inherit', env }).status ?? 1;

let status = step(process.execPath, ['scripts/ensure.mjs', '--deps', '--system-packages', '--build']);
if (status !== 0) process.exit(status);
status = step(process.execPath, ['node_modules/@biomejs/biome/bin/biome', 'lint', '.']);
if (status !== 0) process.exit(status);
// The builds leave the tests out; vitest strips their types without checking them.
status = step(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.tests.json']);
if (status !== 0) process.exit(status);

// The tests make temporary directories freely (sandboxes, bare repositories, sockets); all of
// them land in this one, removed at the end, so a run leaves nothing behind in /tmp. The name is
// short: unix socket paths inside it must stay under 108 bytes.
const out = mkdtempSync(path.join(os.tmpdir(), 'pt-'));
// The JSON report stays (vitest prints its path): test-results/ is git-ignored.
const report = path.join(repo, 'test-results', 'report.json');
status = step(
  process.execPath,
  [
    'node_modules/vitest/vitest.mjs',
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${report}`,
    ...process.argv.slice(2),
  ],
  { ...process.env, TMPDIR: out },
);
try {
  const { numPassedTests, numFailedTests, numPendingTests, numTotalTests } = JSON.parse(
    readFileSync(report, 'utf8'),
  );
  if (numTotalTests === 0) status ||= 1;
  console.log(
    `${numPassedTests} passed, ${numFailedTests} failed${numPendingTests ? `, ${numPendingTests} skipped` : ''}`,
  );
} catch {
  console.log('0 passed, 1 failed');
  status ||= 1;
}
rmSync(out, { recursive: true, force: true });
process.exit(status);
