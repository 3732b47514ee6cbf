// The start-up machinery of an installed photon (core's bundle, the precompiled packages and
// their code caches, packages/core/loader) can make a run slower, never wrong or dead.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM helper shared with bench/cold-start.mjs and scripts/bundle/measure-patches.mjs
import { installBuiltCopy } from '../scripts/installed-copy.mjs';
import { exampleConfig, repoRoot, sandbox } from './helpers/photon.js';

let installed: string;
let bin: string;
const { root, env } = sandbox('photon-start-up-');

/**
 * photon as npm installs it, in a node_modules of its own; each test edits its own copy. Without
 * oclif manifests whatever the checkout has, so oclif loads every command (see the cache test).
 */
function install(): void {
  installed = mkdtempSync(path.join(os.tmpdir(), 'photon-installed-'));
  bin = installBuiltCopy(repoRoot, installed, { manifests: false });
}

const file = (relative: string) => path.join(installed, 'node_modules/@ffphoton', relative);

/** The Node that runs photon; `PHOTON_TEST_NODE` names another one (e.g. 22, from the `node@22` npm package). */
const node = process.env.PHOTON_TEST_NODE ?? process.execPath;

function run(args: string[]): { code: number | null; stdout: string; stderr: string } {
  // stdout and stderr are pipes, as under cron.
  const r = spawnSync(node, [bin, ...args, '--root', root], {
    cwd: installed,
    encoding: 'utf8',
    env: { ...process.env, NODE_ENV: 'production', ...env },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Every code cache of the installed packages. */
function caches(): string[] {
  return readdirSync(path.join(installed, 'node_modules/@ffphoton'), { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.cjs.cache'))
    .map((f) => file(f));
}

/** Edits `relative` in place, keeping its size (as a same-size source edit and `tsc -b` would). */
function editSameSize(relative: string, from: string, to: string): void {
  expect(to).toHaveLength(from.length);
  const text = readFileSync(file(relative), 'latin1');
  expect(text).toContain(from);
  writeFileSync(file(relative), text.replaceAll(from, to), 'latin1');
}

beforeAll(() => {
  install();
  // The caches as a gateway has them after its first runs.
  for (const args of [
    ['config', 'validate', '-c', exampleConfig],
    ['fastd', 'status', '--help'],
  ])
    run(args);
});
afterAll(() => {
  rmSync(installed, { recursive: true, force: true });
  rmSync(root, { recursive: true, force: true });
});

describe('a corrupted code cache', () => {
  const commands: [string[], string][] = [
    [['config', 'validate', '-c', exampleConfig], 'settings valid: 7 file(s)'],
    [['fastd', 'status', '--help'], 'USAGE'],
    [['--help'], 'COMMANDS'],
  ];
  const corruptions: [string, (bytes: Buffer) => Buffer][] = [
    ['random bytes of the same length', (bytes) => randomBytes(bytes.length)],
    [
      'the header kept, a garbage body',
      (bytes) => {
        // photon's header line and V8's own header after it (what killed every run with exit 133).
        const keep = bytes.indexOf(10) + 1 + 64;
        return Buffer.concat([bytes.subarray(0, keep), randomBytes(bytes.length - keep)]);
      },
    ],
    ['truncated', (bytes) => bytes.subarray(0, bytes.length >> 1)],
  ];

  it.each(corruptions)('(%s) leaves every command working and is rebuilt', (_, corrupt) => {
    const all = caches();
    expect(all.map((c) => path.basename(c))).toEqual(
      expect.arrayContaining(['core.cjs.cache', 'modules.cjs.cache']),
    );
    const originals = all.map((c) => readFileSync(c));
    try {
      for (const [i, c] of all.entries()) writeFileSync(c, corrupt(originals[i] as Buffer));
      for (let round = 0; round < 2; round += 1)
        for (const [args, expected] of commands) {
          const r = run(args);
          expect({ args, code: r.code, stderr: r.stderr }).toEqual({ args, code: 0, stderr: '' });
          expect(r.stdout).toContain(expected);
        }
      // This copy has no oclif manifests, so oclif loads every command and the packages' whole
      // bundles serve their settings too: the settings-only bundles (`config validate` of an
      // install with manifests) are not loaded here (precompiled-modules.test.ts covers them).
      for (const c of all.filter((f) => !f.endsWith('settings.cjs.cache'))) {
        const bytes = readFileSync(c);
        const newline = bytes.indexOf(10);
        const header = JSON.parse(bytes.toString('latin1', 0, newline));
        expect({ c, checksum: header.checksum }).toEqual({ c, checksum: crc32(bytes.subarray(newline + 1)) });
      }
    } finally {
      for (const [i, c] of all.entries()) writeFileSync(c, originals[i] as Buffer);
    }
  });
});

describe('the bin', () => {
  it("runs a first-party command without Node's ESM loader (all CommonJS through the bundles)", () => {
    const preload = path.join(installed, 'module-list.cjs');
    const list = path.join(installed, 'module-list.txt');
    writeFileSync(
      preload,
      `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(list)}, process.moduleLoadList.join('\\n')));\n`,
    );
    const r = spawnSync(
      node,
      ['-r', preload, bin, 'config', 'validate', '-c', exampleConfig, '--root', root],
      {
        cwd: installed,
        encoding: 'utf8',
        env: { ...process.env, NODE_ENV: 'production', ...env },
      },
    );
    expect({ code: r.status, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    // Every ES module gets a module job; a CommonJS-only run starts none.
    expect(readFileSync(list, 'utf8').split('\n')).not.toContain(
      'NativeModule internal/modules/esm/module_job',
    );
  });
});

describe('a same-size edit', () => {
  it("of core's dist runs `photon plugins` on node_modules' oclif alone (on the bundle's alone while current)", () => {
    const plugins = (...args: string[]) => {
      const r = spawnSync(
        node,
        ['-r', path.join(repoRoot, 'test/helpers/print-oclif-copies.cjs'), bin, 'plugins', ...args],
        {
          cwd: installed,
          encoding: 'utf8',
          env: {
            ...process.env,
            NODE_ENV: 'production',
            ...env,
            PHOTON_PLUGINS_DIR: path.join(installed, 'plugins'),
          },
          timeout: 60_000,
        },
      );
      return { code: r.status, stdout: r.stdout, oclif: r.stderr.trimEnd().split('\n').at(-1) };
    };
    const watchdog = path.join(repoRoot, 'examples/plugin-watchdog');
    expect(plugins('link', watchdog, '--no-install').code).toBe(0);
    // Both oclif copies must look for plugins in PHOTON_PLUGINS_DIR (bin/run.js sets that up).
    const listed = { code: 0, stdout: `photon-plugin-watchdog 0.1.0 (link) ${watchdog}\n` };
    expect(plugins()).toEqual({
      ...listed,
      oclif: 'oclif: hooks oclif-hooks.mjs; unbundled @oclif/core files 0',
    });
    const original = readFileSync(file('core/dist/input/bounded-file.js'));
    try {
      editSameSize('core/dist/input/bounded-file.js', "'file not found'", "'FILE NOT FOUND'");
      const unbundled = plugins();
      expect({ code: unbundled.code, stdout: unbundled.stdout }).toEqual(listed);
      expect(unbundled.oclif).toMatch(/^oclif: hooks none; unbundled @oclif\/core files [1-9]\d*$/);
    } finally {
      writeFileSync(file('core/dist/input/bounded-file.js'), original);
      rmSync(path.join(installed, 'plugins'), { recursive: true, force: true });
    }
  });

  it("of core's dist (tsc -b without the bundle step) runs the edited core", () => {
    const missing = ['config', 'validate', '-c', path.join(root, 'nowhere')];
    expect(run(missing).stderr).toContain('nowhere: file not found');
    const original = readFileSync(file('core/dist/input/bounded-file.js'));
    try {
      editSameSize('core/dist/input/bounded-file.js', "'file not found'", "'FILE NOT FOUND'");
      const r = run(missing);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('nowhere: FILE NOT FOUND');
      // The other commands keep working on core's dist, quietly.
      expect(run(['config', 'validate', '-c', exampleConfig])).toMatchObject({ code: 0, stderr: '' });
    } finally {
      writeFileSync(file('core/dist/input/bounded-file.js'), original);
    }
    // Restored to the content the bundle was built from.
    expect(run(missing).stderr).toContain('nowhere: file not found');
  });

  it("of core's dist logs through pino loaded by core's dist (a failing task, stderr a pipe)", () => {
    const original = readFileSync(file('core/dist/input/bounded-file.js'));
    try {
      editSameSize('core/dist/input/bounded-file.js', "'file not found'", "'FILE NOT FOUND'");
      // Node 22's ESM loader handed core's dist an empty pino ("pino.multistream is not a
      // function"): the task failed without a word.
      const r = run(['exec', '--name', 'stale-core', '--', 'false']);
      expect(r.code).toBe(1);
      // (run() appends --root, which `false` gets as an argument.)
      expect(r.stderr).toMatch(/stale-core: command \\"false [^"]*\\" exited 1/);
      expect(r.stderr).not.toContain('is not a function');
    } finally {
      writeFileSync(file('core/dist/input/bounded-file.js'), original);
    }
  });

  it('of core.cjs itself runs the edited bundle, not the cached bytecode of the old one', () => {
    const missing = ['config', 'validate', '-c', path.join(root, 'nowhere')];
    expect(run(missing).stderr).toContain('nowhere: file not found');
    editSameSize('core/dist/bundle/core.cjs', '"file not found"', '"FILE NOT FOUND"');
    expect(run(missing).stderr).toContain('nowhere: FILE NOT FOUND');
    expect(run(['config', 'validate', '-c', exampleConfig])).toMatchObject({ code: 0, stderr: '' });
  });

  it("of a first-party package's dist runs the edited module", () => {
    const validate = ['config', 'validate', '-c', exampleConfig];
    expect(run(validate).stdout).toContain('settings valid:');
    editSameSize('cli/dist/commands/config/validate.js', 'settings valid:', 'SETTINGS VALID:');
    expect(run(validate)).toMatchObject({ code: 0, stderr: '' });
    expect(run(validate).stdout).toContain('SETTINGS VALID:');
  });
});
