// The behaviour each patch of a bundled library (scripts/bundle/patches.mjs) must keep, checked
// against the built, patched bundle: vitest's own runs of the sources use unpatched oclif.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { exampleConfig, photonBin, photonSync, repoRoot, sandbox } from './helpers/photon.js';

type Listed = { why: string; saves: string };
const { PATCHES, STUBS } = (await import('../scripts/bundle/patches.mjs' as string)) as {
  PATCHES: Listed[];
  STUBS: Listed[];
};
const { root, env } = sandbox('photon-patches-');
const show = ['config', 'show', '--config', exampleConfig, '--root', root];

describe('the patched bundle', () => {
  it('lists every patch with its reason and saving', () => {
    for (const patch of [...PATCHES, ...STUBS]) {
      expect(patch.why.length).toBeGreaterThan(20);
      expect(patch.saves).toMatch(/ms|size|counted/);
    }
  });

  it('reads omitted arguments from the command line only, not stdin (parser/parse.js)', () => {
    const all = spawnSync(process.execPath, [photonBin, ...show], {
      cwd: repoRoot,
      encoding: 'utf8',
      env: { ...process.env, ...env },
      input: 'fastd\n',
    });
    expect(all.status).toBe(0);
    expect(all.stdout).toBe(photonSync(show, { env }).stdout);
    expect(all.stdout).toMatch(/^alfred:/m);
    expect(photonSync([...show.slice(0, 2), 'fastd', ...show.slice(2)], { env }).stdout).not.toMatch(
      /^alfred:/m,
    );
  });

  it('ends output quietly when the reader goes away (command.js, flush.js)', () => {
    const piped = spawnSync(
      'bash',
      [
        '-c',
        `"${process.execPath}" "${photonBin}" "$@" | head -c 1 >/dev/null; echo "\${PIPESTATUS[0]}"`,
        '-',
        ...show,
      ],
      { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, ...env } },
    );
    expect(piped.stdout.trim()).toBe('0');
    expect(piped.stderr).toBe('');
  });

  it('sorts commands in code-unit order without the ICU collator (config/plugin.js)', () => {
    const help = photonSync(['--help'], { env }).stdout;
    const commands = [...help.slice(help.indexOf('COMMANDS')).matchAll(/^ {2}(\S+)/gm)].map(
      (m) => m[1] as string,
    );
    expect(commands.length).toBeGreaterThan(3);
    expect(commands).toEqual([...commands].sort());
  });

  it('formats help and errors, with colours when asked (lazy ansis, wrap-ansi)', () => {
    expect(photonSync(['config', '--help'], { env }).stdout).toMatch(/^USAGE/m);
    // Only what the run needs: the test runner's environment asks for no colour.
    const coloured = spawnSync(process.execPath, [photonBin, 'config', '--help'], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, ...env, FORCE_COLOR: '1' },
    });
    expect(coloured.stdout).toContain('\u001b[');
    const bogus = photonSync(['config', 'validate', '--bogus'], { env });
    expect(bogus.code).not.toBe(0);
    expect(bogus.stderr).toContain('Nonexistent flag: --bogus');
  });

  it('writes debug output only when DEBUG is set (debug stub)', () => {
    const validate = ['config', 'validate', '-c', exampleConfig, '--root', root];
    expect(photonSync(validate, { env }).stderr).toBe('');
    expect(photonSync(validate, { env: { ...env, DEBUG: 'oclif:*' } }).stderr).toContain('oclif:');
  });

  it('runs a task that logs and starts a program (pino tools, lazy child_process)', () => {
    const run = photonSync(
      ['exec', '--name', 'patches', '--root', root, '--log-level', 'info', '--', 'true'],
      { env },
    );
    expect(run.code).toBe(0);
  });
});
