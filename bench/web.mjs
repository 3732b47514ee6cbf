// Issue 8: `photon web build` on a gateway with 6 interfaces (4 configured + 2 fastd) and a
// year of vnstat data in a real vnstat database, against `node -e 0` and against the real
// `vnstat --json` it runs; peak RSS; the size of each page. Runs the BUILT binary
// (`npx tsc -b packages/cli`); needs vnstat, vnstatd and sqlite3. Prints Markdown tables.
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { createVnstatDb } from '../packages/plugin-web/test-data/vnstat-db.mjs';
import { compareWithFloor, floorTable, markdownTable, photonBin, runOnce } from './lib.mjs';

const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-web-'));
const root = path.join(dir, 'root');
try {
  mkdirSync(path.join(root, 'var/www/html/firmware'), { recursive: true });
  mkdirSync(path.join(dir, 'vnstat'));
  const interfaces = ['eth0', 'exitVPN', 'icVPN', 'bat0', 'mzVPN', 'wiVPN'];
  const vnstat = createVnstatDb(path.join(dir, 'vnstat'), interfaces, { days: 365 });
  const settings = path.join(dir, 'photon.yaml');
  writeFileSync(
    settings,
    YAML.stringify({
      photon: { hostname: 'gw1', dataDir: '/var/lib/photon' },
      fastd: {
        instances: ['mzVPN', 'wiVPN'].map((name) => ({
          name,
          interface: name,
          configFile: '/x',
          statusSocket: '/y',
        })),
      },
      web: { traffic: { interfaces: interfaces.slice(0, 4), vnstat } },
    }),
  );
  const empty = path.join(dir, 'empty.yaml');
  writeFileSync(
    empty,
    YAML.stringify({
      photon: { hostname: 'gw1', dataDir: '/var/lib/photon' },
      web: { system: { commands: [] }, traffic: { interfaces: [] } },
    }),
  );
  const build = [
    'node',
    photonBin,
    'web',
    'build',
    '--config',
    settings,
    '--root',
    root,
    '--json',
    '--no-lock',
  ];
  const first = runOnce(build, { expectStatus: 0 });
  const result = JSON.parse(first.stdout).result;
  if (result.interfaces.length !== 6) throw new Error(`expected 6 interfaces, got ${result.interfaces}`);
  const rows = compareWithFloor(
    [
      { name: '`vnstat --json` (6 interfaces, 1 year)', argv: vnstat },
      {
        name: '`photon web build` (no commands, no interfaces: CLI start + health)',
        argv: ['node', photonBin, 'web', 'build', '--config', empty, '--root', root, '--json', '--no-lock'],
        expectStatus: 0,
      },
      { name: '`photon web build` (6 interfaces, 5 system commands)', argv: build, expectStatus: 0 },
    ],
    { runs: Number(process.env.BENCH_RUNS ?? 7) },
  );
  console.log('### photon web build: 6 interfaces, a year of vnstat data\n');
  console.log(floorTable(rows));
  console.log('\n### Page sizes\n');
  const vnstatBytes = runOnce(vnstat).stdout.length;
  console.log(
    markdownTable(
      ['page', 'bytes'],
      [
        ...result.pages.map((p) => [p.path, String(statSync(path.join(root, p.path)).size)]),
        ['(vnstat --json input)', String(vnstatBytes)],
      ],
    ),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
