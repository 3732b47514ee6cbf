#!/usr/bin/env node
// `npm run mutate [PACKAGE...]`: mutation testing (Stryker, vitest runner) of one package at a time,
// then a summary of the run into docs/test-strength.md (figures per run and file recorded in
// docs/test-strength.runs.json, committed: reports are git-ignored). PACKAGE is a directory name under packages/
// (core, plugin-git, ...); without one, every package runs, one after another. Core is mutated as a
// whole (src/), plugins in src/services/. Runs are incremental: a file whose code and tests did not
// change keeps its previous results (reports/mutation/PACKAGE/incremental.json, git-ignored).
//   --summary-only   rewrite the summary from the recorded runs without running Stryker
//   --force          re-mutate everything (ignore the incremental file)
//   --files=PART     one part of one package (a directory or file under its mutated base, e.g.
//                    `--files=lock` or `--files=settings/settings-loader.ts`): core takes hours
//                    on a small machine, so it can be measured in parts, in separate sessions.
//                    The summary merges every run of the package, the newest result of each file
//                    winning, and gives the package's `score:` line once every file is measured.
// Stryker 9.6 is pinned: it is the last major that runs on Node 20 (Stryker 10 needs Node 22).
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const PACKAGES = ['core', 'plugin-git', 'plugin-icvpn', 'plugin-fastd', 'plugin-alfred', 'plugin-web'];
const SUMMARY = path.join(repo, 'docs', 'test-strength.md');

const argv = process.argv.slice(2);
const flags = new Set(argv.filter((a) => a.startsWith('--') && !a.startsWith('--files=')));
const part = argv
  .find((a) => a.startsWith('--files='))
  ?.slice('--files='.length)
  .replace(/^\/+|\/+$/g, '');
const unknownFlags = [...flags].filter((f) => f !== '--summary-only' && f !== '--force');
const chosen = argv.filter((a) => !a.startsWith('--'));
const unknownPackages = chosen.filter((p) => !PACKAGES.includes(p));
const usage = `usage: npm run mutate -- [--summary-only] [--force] [--files=PART] [${PACKAGES.join('|')} ...]`;
if (unknownFlags.length > 0 || unknownPackages.length > 0) {
  console.error(`mutate: unknown ${[...unknownFlags, ...unknownPackages].join(', ')}; ${usage}`);
  process.exit(2);
}
if (part !== undefined && (chosen.length !== 1 || part === '' || part.split('/').includes('..'))) {
  console.error(`mutate: --files needs one package and a part inside it; ${usage}`);
  process.exit(2);
}

const EXCLUDED = ['!**/*.test.ts', '!**/test-helpers/**', '!**/testing/**', '!**/*.d.ts'];

/**
 * The source files mutated for a package, relative to the repository (tests and helpers left
 * out); with `only`, the part of them under that file or directory of the base.
 */
function mutatedFiles(pkg, only) {
  const base = pkg === 'core' ? 'packages/core/src' : `packages/${pkg}/src/services`;
  const scope =
    only === undefined
      ? `${base}/**/*.ts`
      : only.endsWith('.ts')
        ? `${base}/${only}`
        : `${base}/${only}/**/*.ts`;
  return { base, globs: [scope, ...EXCLUDED] };
}

/** Every file `npm run mutate PKG` mutates, relative to the base (what a complete figure covers). */
function sourceFiles(pkg) {
  const { base } = mutatedFiles(pkg);
  return readdirSync(path.join(repo, base), { recursive: true })
    .map((f) => f.split(path.sep).join('/'))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts'))
    .filter((f) => !f.split('/').some((d) => d === 'test-helpers' || d === 'testing'))
    .sort();
}

const inPart = (file, only) => only === undefined || file === only || file.startsWith(`${only}/`);

/** Where a run's reports go: the package's whole run, or one part's. */
const outDirOf = (pkg, only) =>
  only === undefined
    ? path.join(repo, 'reports', 'mutation', pkg)
    : path.join(repo, 'reports', 'mutation', pkg, 'parts', only.replaceAll('/', '__'));

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

function strykerConfig(pkg, outDir, only) {
  return {
    $schema: '../../../node_modules/@stryker-mutator/core/schema/stryker-schema.json',
    testRunner: 'vitest',
    plugins: ['@stryker-mutator/vitest-runner'],
    vitest: { configFile: `packages/${pkg}/vitest.config.ts`, dir: `packages/${pkg}` },
    mutate: mutatedFiles(pkg, only).globs,
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

function run(pkg, only) {
  const outDir = outDirOf(pkg, only);
  mkdirSync(outDir, { recursive: true });
  const configFile = path.join(outDir, 'stryker.config.json');
  writeFileSync(configFile, `${JSON.stringify(strykerConfig(pkg, outDir, only), null, 2)}\n`);
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
  // A test process still exiting may be writing into it: retry, and never fail the run for it.
  try {
    rmSync(tmp, { recursive: true, force: true, maxRetries: 5 });
  } catch {}
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

/**
 * The measured figures, per package a list of runs (whole or part) with their per-file counts.
 * Committed beside the summary: the Stryker reports are git-ignored and a fresh checkout has none,
 * so a part measured in one session still counts when the next session measures another.
 */
const RECORDS = path.join(repo, 'docs', 'test-strength.runs.json');

const readRecords = () => (existsSync(RECORDS) ? JSON.parse(readFileSync(RECORDS, 'utf8')) : {});

/** Every recorded run of the package, oldest first. */
const runsOf = (pkg) => [...(readRecords()[pkg] ?? [])].sort((a, b) => a.finished.localeCompare(b.finished));

/** Per file of the package, the newest run that mutated it and its row (none: a file without mutants). */
function latestByFile(pkg, runs) {
  const latest = new Map();
  const files = sourceFiles(pkg);
  for (const run of runs) {
    // A file the run did not know (added or moved since) is not measured by it. (A record
    // without its list: the files of its part as they are now.)
    const covered = run.covered ?? files.filter((file) => inPart(file, run.part ?? undefined));
    for (const file of covered) if (files.includes(file)) latest.set(file, { run, row: undefined });
    for (const row of run.files) latest.set(row.file, { run, row });
  }
  return latest;
}

/**
 * Adds a finished run (its report's per-file rows, the part, commit and time) to the records and
 * drops the runs whose every file a newer run has measured again.
 */
function recordRun(pkg, only, minutes, commit) {
  const { base } = mutatedFiles(pkg);
  const report = JSON.parse(readFileSync(path.join(outDirOf(pkg, only), 'mutation.json'), 'utf8'));
  const run = {
    part: only ?? null,
    commit,
    finished: new Date().toISOString(),
    minutes: Math.round(minutes),
    covered: sourceFiles(pkg).filter((file) => inPart(file, only)),
    files: countMutants(report, path.join(repo, base)),
  };
  const runs = [...runsOf(pkg), run];
  const used = new Set([...latestByFile(pkg, runs).values()].map(({ run }) => run));
  const records = readRecords();
  records[pkg] = runs.filter((r) => used.has(r));
  const sorted = Object.fromEntries(PACKAGES.filter((p) => records[p]).map((p) => [p, records[p]]));
  writeFileSync(RECORDS, `${JSON.stringify(sorted, null, 1)}\n`);
}

function section(pkg) {
  const { base } = mutatedFiles(pkg);
  const runs = runsOf(pkg);
  const files = sourceFiles(pkg);
  const latest = latestByFile(pkg, runs);
  // A file deleted or moved since its run no longer counts (moved code is measured where it is now).
  const rows = [...latest.entries()]
    .filter(([file, { row }]) => row !== undefined && files.includes(file))
    .map(([, { row }]) => row)
    .sort((a, b) => a.file.localeCompare(b.file));
  const missing = files.filter((f) => !latest.has(f));
  const used = runs.filter((run) => [...latest.values()].some((entry) => entry.run === run));
  const total = { file: '**all files**', mutants: 0, killed: 0, survived: 0, noCoverage: 0 };
  for (const row of rows)
    for (const key of ['mutants', 'killed', 'survived', 'noCoverage']) total[key] += row[key];
  const line = (r) =>
    `| ${r.file} | ${r.mutants} | ${r.killed} | ${r.survived} | ${r.noCoverage} | ${percent(r.killed, r.mutants)} % |`;
  const command = (run) => `\`npm run mutate ${run.part ? `-- --files=${run.part} ` : ''}${pkg}\``;
  const measured = used.map(
    (run) =>
      `${run.part ? `\`${run.part}\`: ` : ''}commit ${run.commit}, ${run.finished.slice(0, 16).replace('T', ' ')} UTC` +
      `${run.minutes ? `, ${run.minutes} min` : ''}, by ${command(run)}`,
  );
  return [
    `<!-- mutate:${pkg}:start -->`,
    `### ${base}`,
    '',
    `Measured on ${measured.join('; ')}${UNIT_TESTS_ONLY[pkg] ? ` (tests: ${UNIT_TESTS_ONLY[pkg]} only)` : ''}.`,
    '',
    '| file | mutants | killed | survived | no coverage | score |',
    '|---|---:|---:|---:|---:|---:|',
    ...rows.map(line),
    line(total),
    '',
    // The package's figure only when every file is measured (a part alone is no package score).
    missing.length === 0
      ? `score: ${base} ${percent(total.killed, total.mutants)} %`
      : `Not measured yet (${missing.length} of ${files.length} files): ${missing.map((f) => `\`${f}\``).join(', ')}. ` +
        `The measured files' figure: ${percent(total.killed, total.mutants)} %; no package score until every file is measured.`,
    `<!-- mutate:${pkg}:end -->`,
  ].join('\n');
}

/** Replaces the package's section of docs/test-strength.md (or adds it), leaving the others as they are. */
function writeSummary(pkg) {
  const text = readFileSync(SUMMARY, 'utf8');
  const pattern = new RegExp(`<!-- mutate:${pkg}:start -->[\\s\\S]*?<!-- mutate:${pkg}:end -->`);
  const fresh = section(pkg);
  writeFileSync(
    SUMMARY,
    pattern.test(text) ? text.replace(pattern, fresh) : `${text.trimEnd()}\n\n${fresh}\n`,
  );
}

let failed = 0;
for (const pkg of chosen.length > 0 ? chosen : PACKAGES) {
  if (!flags.has('--summary-only')) {
    const commit = measuredCommit(pkg);
    const result = run(pkg, part);
    if (result.status !== 0) {
      console.error(`mutate: Stryker failed for ${pkg} (exit ${result.status}); summary left unchanged`);
      failed = 1;
      continue;
    }
    recordRun(pkg, part, result.minutes, commit);
  }
  if (runsOf(pkg).length === 0) {
    console.error(`mutate: no recorded run for ${pkg}; run \`npm run mutate ${pkg}\` first`);
    failed = 1;
    continue;
  }
  writeSummary(pkg);
  console.log(`mutate: ${pkg} summary written to docs/test-strength.md`);
}
process.exit(failed);
