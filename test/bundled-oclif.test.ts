// Issue 19: the third-party oclif plugins photon ships (@oclif/plugin-plugins, -autocomplete,
// -help) import `@oclif/core`; core's loader maps that to the oclif bundled in core, so a run holds
// one oclif (photon's patches applied, one Config and Command class). First-party runs (cron)
// never register the module hooks that mapping needs.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exampleConfig, photonSync, repoRoot, sandbox } from './helpers/photon.js';

const work = mkdtempSync(path.join(os.tmpdir(), 'photon-bundled-oclif-'));
const home = path.join(work, 'home');
mkdirSync(home);
const { root } = sandbox('photon-bundled-oclif-root-');
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  rmSync(root, { recursive: true, force: true });
});

const preload = path.join(repoRoot, 'test/helpers/print-oclif-copies.cjs');
const ONE_OCLIF = 'oclif: hooks oclif-hooks.mjs; unbundled @oclif/core files 0';
const NO_HOOKS = 'oclif: hooks none; unbundled @oclif/core files 0';

/** photon run with the preload; its report (the last stderr line) apart from the rest of stderr. */
function run(...args: string[]) {
  const r = photonSync(args, {
    env: {
      HOME: home,
      PHOTON_PLUGINS_DIR: path.join(work, 'plugins'),
      PHOTON_DATA_DIR: path.join(work, 'data'),
    },
    nodeArgs: ['--require', preload],
  });
  const lines = r.stderr.trimEnd().split('\n');
  return { ...r, oclif: lines.at(-1), stderr: lines.slice(0, -1).join('\n') };
}

describe('third-party oclif plugins on the bundled oclif', () => {
  it('`photon plugins` lists with the bundled oclif', () => {
    expect(run('plugins')).toEqual({
      code: 0,
      stdout: 'No plugins installed.\n',
      stderr: '',
      oclif: ONE_OCLIF,
    });
  });

  it('`photon plugins inspect` reports a bundled plugin', () => {
    const r = run('plugins', 'inspect', '@oclif/plugin-help');
    expect({ code: r.code, stderr: r.stderr, oclif: r.oclif }).toEqual({
      code: 0,
      stderr: '',
      oclif: ONE_OCLIF,
    });
    expect(r.stdout).toContain(`location ${path.join(repoRoot, 'node_modules/@oclif/plugin-help')}\n`);
    expect(r.stdout).toMatch(/└─ @oclif\/core \^4 => 4\.\d+\.\d+\n/);
  });

  it('`photon autocomplete` and `photon help <topic>` run on the bundled oclif', () => {
    const completion = run('autocomplete', 'bash');
    expect({ code: completion.code, oclif: completion.oclif }).toEqual({ code: 0, oclif: ONE_OCLIF });
    expect(completion.stdout).toContain('printf "$(photon autocomplete script bash)" >> ~/.bashrc');
    const help = run('help', 'plugins');
    expect({ code: help.code, stderr: help.stderr, oclif: help.oclif }).toEqual({
      code: 0,
      stderr: '',
      oclif: ONE_OCLIF,
    });
    expect(help.stdout).toMatch(/\n {2}plugins install {2,}Installs a plugin into photon\.\n/);
  });

  it('first-party commands register no module hooks and load no other oclif', () => {
    const validate = run('config', 'validate', '--config', exampleConfig, '--root', root);
    expect({ code: validate.code, oclif: validate.oclif }).toEqual({ code: 0, oclif: NO_HOOKS });
    // `--help` is photon's own help class, not plugin-help's command.
    const help = run('plugins', '--help');
    expect({ code: help.code, oclif: help.oclif }).toEqual({ code: 0, oclif: NO_HOOKS });
  });
});
