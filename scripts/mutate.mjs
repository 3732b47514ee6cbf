#!/usr/bin/env node
// `npm run mutate [PACKAGE...]`: mutation testing (Stryker, vitest runner) of one package at a time,
// then a summary of the run into docs/test-strength.md. PACKAGE is a directory name under packages/
// (core, plugin-git, ...); without one, every package runs, one after another. Core is mutated as a
// whole (src/), plugins in src/services/. Runs are incremental: a file whose code and tests did not
// change keeps its previous results (reports/mutation/PACKAGE/incremental.json, git-ignored).
//   --summary-only   rewrite the summary from the last report without running Stryker
//   --force          re-mutate everything (ignore the incremental file)
// Stryker 9.6 is pinned: it is the last major that runs on Node 20 (Stryker 10 needs Node 22).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const PACKAGES = ['core', 'plugin-git', 'plugin-icvpn', 'plugin-fastd', 'plugin-alfred', 'plugin-web'];
const SUMMARY = path.join(repo, 'docs', 'test-strength.md');

const argv = process.argv.slice(2);
const flags = new Set(argv.filter((a) => a.startsWith('--')));
const unknownFlags = [...flags].filter((f) => f !== '--summary-only' && f !== '--force');
const chosen = argv.filter((a) => !a.startsWith('--'));
const unknownPackages = chosen.filter((p) => !PACKAGES.includes(p));
if (unknownFlags.length > 0 || unknownPackages.length > 0) {
  console.error(
    `mutate: unknown ${[...unknownFlags, ...unknownPackages].join(', ')}; ` +
      `usage: npm run mutate [--summary-only] [--force] [${PACKAGES.join('|')} ...]`,
  );
  process.exit(2);
}

/** The source files mutated for a package, relative to the repository (tests and helpers left out). */
function mutatedFiles(pkg) {
  const base = pkg === 'core' ? 'packages/core/src' : `packages/${pkg}/src/services`;
  return {
    base,
    globs: [`${base}/**/*.ts`, '!**/*.test.ts', '!**/test-helpers/**', '!**/testing/**', '!**/*.d.ts'],
  };
}

/**
 * Packages whose service mutants run against the services' own tests (PHOTON_TEST_INCLUDE, read
 * by vitest.shared.ts). Their command suites start real daemons (fastd, alfred in a namespace,
 * tincd), Chromium or whole site builds and would run once per mutant (hours); each service has
 * fast unit tests against the real filesystem and tools. A figure from fewer tests is a lower bound.
 */
const SERVICE_TESTS = 'src/services/**/*.test.ts';
const UNIT_TESTS_ONLY = {
  'plugin-fastd': SERVICE_TESTS,
  'plugin-icvpn': SERVICE_TESTS,
  'plugin-alfred': SERVICE_TESTS,
  'plugin-web': SERVICE_TESTS,
};

function strykerConfig(pkg, outDir) {
  return {
    $schema: '../../../node_modules/@stryker-mutator/core/schema/stryker-schema.json',
    testRunner: 'vitest',
    plugins: ['@stryker-mutator/vitest-runner'],
    vitest: { configFile: `packages/${pkg}/vitest.config.ts`, dir: `packages/${pkg}` },
    mutate: mutatedFiles(pkg).globs,
    coverageAnalysis: 'perTest',
    // A mutant in a module-level constant runs the package's whole suite (real git, daemons,
    // a browser) once per mutant: hours per package. They are left out and counted nowhere.
    ignoreStatic: true,
    // The machine is shared: one test process at a time.
    concurrency: 1,
    incremental: true,
    incrementalFile: path.relative(repo, path.join(outDir, 'incremental.json')),
    reporters: ['progress', 'json', 'html'],
    jsonReporter: { fileName: path.relative(repo, path.join(outDir, 'mutation.json')) },
    htmlReporter: { fileName: path.relative(repo, path.join(outDir, 'index.html')) },
    tempDirName: 'reports/mutation/.stryker-tmp',
    // Real-tool tests (git, daemons) are slower than Stryker's default allowance.
    timeoutMS: 10_000,
  };
}

function run(pkg) {
  const outDir = path.join(repo, 'reports', 'mutation', pkg);
  mkdirSync(outDir, { recursive: true });
  const configFile = path.join(outDir, 'stryker.config.json');
  writeFileSync(configFile, `${JSON.stringify(strykerConfig(pkg, outDir), null, 2)}\n`);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'pm-'));
  const started = Date.now();
  const result = spawnSync(
    process.execPath,
    [
      'node_modules/@stryker-mutator/core/bin/stryker.js',
      'run',
      path.relative(repo, configFile),
      ...(flags.has('--force') ? ['--force'] : []),
    ],
    {
      cwd: repo,
      stdio: 'inherit',
      env: {
        ...process.env,
        TMPDIR: tmp,
        ...(UNIT_TESTS_ONLY[pkg] ? { PHOTON_TEST_INCLUDE: UNIT_TESTS_ONLY[pkg] } : {}),
      },
    },
  );
  rmSync(tmp, { recursive: true, force: true });
  return { status: result.status ?? 1, minutes: (Date.now() - started) / 60_000 };
}

/** Per-file counts from a mutation-testing-report-schema JSON report; timeouts count as killed. */
function countMutants(report, base) {
  const rows = [];
  for (const [file, { mutants }] of Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b))) {
    const row = {
      file: path.relative(base, path.resolve(repo, file)),
      mutants: 0,
      killed: 0,
      survived: 0,
      noCoverage: 0,
    };
    for (const { status } of mutants) {
      if (status === 'Killed' || status === 'Timeout') row.killed++;
      else if (status === 'Survived') row.survived++;
      else if (status === 'NoCoverage') row.noCoverage++;
      else continue; // CompileError, RuntimeError, Ignored: not a valid mutant
      row.mutants++;
    }
    rows.push(row);
  }
  return rows;
}

const percent = (part, whole) => (whole === 0 ? '100.0' : ((100 * part) / whole).toFixed(1));

const git = (args) => spawnSync('git', args, { cwd: repo, encoding: 'utf8' }).stdout.trim();

/** The commit the run measures (taken when it starts: Stryker copies the tree then). */
function measuredCommit(pkg) {
  const dirty = git(['status', '--porcelain', '--', `packages/${pkg}`]) ? ' plus uncommitted changes' : '';
  return `${git(['rev-parse', '--short', 'HEAD'])}${dirty}`;
}

function section(pkg, minutes, commit) {
  const outDir = path.join(repo, 'reports', 'mutation', pkg);
  const report = JSON.parse(readFileSync(path.join(outDir, 'mutation.json'), 'utf8'));
  const { base } = mutatedFiles(pkg);
  const rows = countMutants(report, path.join(repo, base));
  const total = { file: '**all files**', mutants: 0, killed: 0, survived: 0, noCoverage: 0 };
  for (const row of rows)
    for (const key of ['mutants', 'killed', 'survived', 'noCoverage']) total[key] += row[key];
  const line = (r) =>
    `| ${r.file} | ${r.mutants} | ${r.killed} | ${r.survived} | ${r.noCoverage} | ${percent(r.killed, r.mutants)} % |`;
  return [
    `<!-- mutate:${pkg}:start -->`,
    `### ${base}`,
    '',
    `Measured on commit ${commit}, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC` +
      `${minutes ? `, ${Math.round(minutes)} min` : ''}, by \`npm run mutate ${pkg}\`` +
      `${UNIT_TESTS_ONLY[pkg] ? ` (tests: ${UNIT_TESTS_ONLY[pkg]} only)` : ''}.`,
    '',
    '| file | mutants | killed | survived | no coverage | score |',
    '|---|---:|---:|---:|---:|---:|',
    ...rows.map(line),
    line(total),
    '',
    `score: ${base} ${percent(total.killed, total.mutants)} %`,
    `<!-- mutate:${pkg}:end -->`,
  ].join('\n');
}

/** Replaces the package's section of docs/test-strength.md (or adds it), leaving the others as they are. */
function writeSummary(pkg, minutes, commit) {
  const text = readFileSync(SUMMARY, 'utf8');
  const pattern = new RegExp(`<!-- mutate:${pkg}:start -->[\\s\\S]*?<!-- mutate:${pkg}:end -->`);
  const fresh = section(pkg, minutes, commit);
  writeFileSync(
    SUMMARY,
    pattern.test(text) ? text.replace(pattern, fresh) : `${text.trimEnd()}\n\n${fresh}\n`,
  );
}

let failed = 0;
for (const pkg of chosen.length > 0 ? chosen : PACKAGES) {
  let minutes = 0;
  // With --summary-only the figures are those of the last run; its commit is in the section already.
  let commit = measuredCommit(pkg);
  if (!flags.has('--summary-only')) {
    const result = run(pkg);
    minutes = result.minutes;
    if (result.status !== 0) {
      console.error(`mutate: Stryker failed for ${pkg} (exit ${result.status}); summary left unchanged`);
      failed = 1;
      continue;
    }
  }
  if (!existsSync(path.join(repo, 'reports', 'mutation', pkg, 'mutation.json'))) {
    console.error(`mutate: no report for ${pkg}; run \`npm run mutate ${pkg}\` first`);
    failed = 1;
    continue;
  }
  if (flags.has('--summary-only')) {
    const previous = new RegExp(`<!-- mutate:${pkg}:start -->[\\s\\S]*?Measured on commit ([^,]+),`).exec(
      readFileSync(SUMMARY, 'utf8'),
    );
    if (previous) commit = previous[1];
  }
  writeSummary(pkg, minutes, commit);
  console.log(`mutate: ${pkg} summary written to docs/test-strength.md`);
}
process.exit(failed);
