// `npm run bench`: runs every bench/*.mjs (or those named on the command line) with the
// oclif manifests generated as in a packed install, and writes docs/performance.md.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from './lib.mjs';

const packagesWithCommands = [
  'packages/cli',
  ...readdirSync(path.join(repoRoot, 'packages'))
    .filter((p) => p.startsWith('plugin-'))
    .map((p) => `packages/${p}`),
];
const oclif = path.join(repoRoot, 'node_modules/oclif/bin/run.js');
for (const pkg of packagesWithCommands)
  spawnSync('node', [oclif, 'manifest'], { cwd: path.join(repoRoot, pkg), stdio: 'ignore' });

const only = process.argv.slice(2);
const scripts = readdirSync(path.join(repoRoot, 'bench'))
  .filter((f) => f.endsWith('.mjs') && !['lib.mjs', 'run.mjs', 'compare-builds.mjs'].includes(f))
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
  .sort((a, b) => (a === 'cold-start.mjs' ? -1 : b === 'cold-start.mjs' ? 1 : a.localeCompare(b)));
const sections = [];
// The benches' sandboxes and repositories go into one directory, removed at the end.
const scratch = mkdtempSync(path.join(os.tmpdir(), 'pb-'));
try {
  for (const script of scripts) {
    console.error(`bench: ${script}`);
    const result = spawnSync('node', [path.join('bench', script)], {
      cwd: repoRoot,
      env: { ...process.env, TMPDIR: scratch },
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    const body =
      result.status === 0
        ? result.stdout.trim()
        : `**failed** (exit ${result.status}):\n\n\`\`\`\n${(result.stderr || result.stdout).slice(-3000)}\n\`\`\``;
    sections.push(
      `## ${script}\n\nCommand: \`node bench/${script}\` (via \`npm run bench ${script.replace('.mjs', '')}\`)\n\n${body}\n`,
    );
    console.log(body);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
  for (const pkg of packagesWithCommands)
    rmSync(path.join(repoRoot, pkg, 'oclif.manifest.json'), { force: true });
}
if (only.length === 0) {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const header = `# Performance\n\nProduced by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}. Every figure is compared in the same run against a floor (\`node -e 0\`) or the stated reference; medians of repeated runs, peak RSS from GNU time.\n\n`;
  writeFileSync(path.join(repoRoot, 'docs/performance.md'), header + sections.join('\n'));
}
