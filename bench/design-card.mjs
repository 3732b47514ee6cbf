// Issue 19: the libraries of the design card against what photon uses instead, each in a fresh
// process, in the same run and against `node -e 0` (docs/architecture.md, "Where photon departs
// from the design card"): execa vs node:child_process for one program run, and the `yaml`
// package (a Document, positions kept for error messages) vs js-yaml for the example settings.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { compareWithFloor, floorTable, repoRoot } from './lib.mjs';

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
  { name: 'run `true` with execa 9 (the card)', argv: esm("const { execa } = await import('execa'); await execa('true');") },
  {
    name: 'read the example settings with js-yaml (photon’s first reader)',
    argv: esm(`${read} const yaml = await import('js-yaml'); for (const t of texts) yaml.load(t);`),
  },
  {
    name: 'read the example settings with yaml, positions kept (the card)',
    argv: esm(`${read} const { parseDocument } = await import('yaml'); for (const t of texts) parseDocument(t).toJS();`),
  },
].map((c) => ({ ...c, cwd: repoRoot, expectStatus: 0 }));

const rows = compareWithFloor(cases, { runs: Number(process.env.BENCH_RUNS ?? 21) });
console.log(`### The design card's libraries on Node ${process.version} (fresh process each, same run)\n`);
console.log(floorTable(rows));
const above = (name) => rows.find((r) => r.name.startsWith(name)).wallMs - rows[0].wallMs;
console.log(
  `\nAbove the floor: child_process ${above('run `true` with node').toFixed(1)} ms, execa ${above('run `true` with execa').toFixed(1)} ms; js-yaml ${above('read the example settings with js').toFixed(1)} ms, yaml ${above('read the example settings with yaml').toFixed(1)} ms.`,
);
