// Issue 19: the libraries of the design card against what photon uses instead, each in a fresh
// process, in the same run and against `node -e 0` (docs/architecture.md, "Where photon departs
// from the design card"): execa vs node:child_process for one program run, and the `yaml`
// package (a Document, positions kept for error messages) vs js-yaml for the example settings.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { compareWithFloor, cpuMedians, floorTable, markdownTable, repoRoot } from './lib.mjs';

const settingsDir = path.join(repoRoot, 'examples/community');
const files = JSON.stringify(
  readdirSync(settingsDir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => path.join(settingsDir, f)),
);
const esm = (code) => [process.execPath, '--input-type=module', '-e', code];
const read = `const { readFileSync } = await import('node:fs'); const texts = ${files}.map((f) => readFileSync(f, 'utf8'));`;
const cases = [
  {
    name: 'run `true` with node:child_process (photon’s Shell)',
    argv: esm(
      "const { spawn } = await import('node:child_process'); await new Promise((ok) => spawn('true').on('close', ok));",
    ),
  },
  {
    name: 'run `true` with execa 9 (the card)',
    argv: esm("const { execa } = await import('execa'); await execa('true');"),
  },
  {
    name: 'read the example settings with js-yaml (photon’s first reader)',
    argv: esm(`${read} const yaml = await import('js-yaml'); for (const t of texts) yaml.load(t);`),
  },
  {
    name: 'read the example settings with yaml, positions kept (the card)',
    argv: esm(
      `${read} const { parseDocument } = await import('yaml'); for (const t of texts) parseDocument(t).toJS();`,
    ),
  },
].map((c) => ({ ...c, cwd: repoRoot, expectStatus: 0 }));

const runs = Number(process.env.BENCH_RUNS ?? 21);
const rows = compareWithFloor(cases, { runs });
console.log(`### The design card's libraries on Node ${process.version} (fresh process each, same run)\n`);
console.log(floorTable(rows));
// CPU of the child (what a shared machine disturbs least), and what each adds to the floor's.
const [floor, ...cpu] = cpuMedians([['-e', '0'], ...cases.map((c) => c.argv.slice(1))], { runs });
console.log('\nCPU of the child (median ms) and above `node -e 0`:\n');
console.log(
  markdownTable(
    ['what', 'CPU (ms)', 'above the floor (ms)'],
    [
      ['`node -e 0` (floor)', floor.toFixed(1), '0'],
      ...cases.map((c, i) => [c.name, cpu[i].toFixed(1), (cpu[i] - floor).toFixed(1)]),
    ],
  ),
);
