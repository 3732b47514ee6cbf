// Issue 20: a man page per command, generated at build (scripts/man-pages.mjs) and installed by
// npm (packages/cli/package.json "man"); shell completion through `photon autocomplete`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { photonSync, repoRoot } from './helpers/photon.js';

const cli = path.join(repoRoot, 'packages/cli');
const manDir = path.join(cli, 'man');

interface Listed {
  command: string;
  examples: string[];
}
const commands: Listed[] = JSON.parse(photonSync(['commands', '--json']).stdout);
const pageOf = (command: string) => path.join(manDir, `photon-${command.replaceAll(' ', '-')}.1`);

// Examples as oclif's help renders them (ejs, as scripts/man-pages.mjs does).
const ejs = createRequire(createRequire(import.meta.url).resolve('@oclif/core/package.json'))('ejs');
const config = { bin: 'photon', pjson: { oclif: {} }, scopedEnvVarKey: (key: string) => `PHOTON_${key}` };
const render = (text: string, id: string): string => ejs.render(text, { config, command: { id } });

/** A page as `man` shows it, 200 columns wide so that examples stay on one line. */
function rendered(file: string): { text: string; warnings: string } {
  const r = spawnSync('groff', ['-man', '-Tutf8', '-ww', '-rLL=200n', '-P-cbou', file], { encoding: 'utf8' });
  expect(r.status).toBe(0);
  return { text: r.stdout, warnings: r.stderr };
}

describe('man pages', () => {
  it('exist for photon and every command, and npm installs each of them', () => {
    expect(commands.length).toBeGreaterThan(20);
    const expected = ['photon.1', ...commands.map((c) => path.basename(pageOf(c.command)))];
    for (const file of expected) expect(existsSync(path.join(manDir, file)), file).toBe(true);
    const pjson = JSON.parse(readFileSync(path.join(cli, 'package.json'), 'utf8'));
    expect([...pjson.man].sort()).toEqual(expected.map((f) => `./man/${f}`).sort());
    expect(pjson.files).toContain('man');
  });

  it('are valid roff: groff renders them without a warning', () => {
    for (const file of ['photon.1', ...commands.map((c) => path.basename(pageOf(c.command)))]) {
      const { text, warnings } = rendered(path.join(manDir, file));
      expect({ file, warnings }).toEqual({ file, warnings: '' });
      expect(text).toMatch(/^NAME\n {7}photon/m);
    }
  });

  it("show each command's summary and examples as typed", () => {
    const withExamples = commands.filter((c) => c.examples.length > 0);
    expect(withExamples.length).toBeGreaterThan(20);
    for (const c of withExamples) {
      const { text } = rendered(pageOf(c.command));
      expect(text, c.command).toContain(`photon ${c.command}`);
      for (const example of c.examples) {
        const typed = (render(example, c.command).split('\n').at(-1) ?? '').replace(/^\$ /, '');
        expect(text.replace(/\s+/g, ' '), `${c.command}: ${typed}`).toContain(typed.replace(/\s+/g, ' '));
      }
    }
  });

  it('photon.1 lists every command and man -l opens it', () => {
    const r = spawnSync('man', ['-l', path.join(manDir, 'photon.1')], {
      encoding: 'utf8',
      env: { ...process.env, MANWIDTH: '200', MAN_KEEP_FORMATTING: '', PAGER: 'cat', MANPAGER: 'cat' },
    });
    expect(r.status).toBe(0);
    for (const c of commands) expect(r.stdout).toContain(`photon ${c.command}`);
    expect(r.stdout).toContain('photon-fastd-limit(1)');
  });
});

describe('photon autocomplete', () => {
  const home = mkdtempSync(path.join(os.tmpdir(), 'photon-autocomplete-'));
  const env = { HOME: home, XDG_CACHE_HOME: '' };
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it('bash: the printed setup completes topics, commands and flags in a fresh bash', () => {
    const setup = photonSync(['autocomplete', 'bash'], { env });
    expect(setup.code).toBe(0);
    expect(setup.stdout).toContain('photon autocomplete script bash');
    const script = `
      eval "$(node ${JSON.stringify(path.join(cli, 'bin/run.js'))} autocomplete script bash)"
      complete -p photon
      comp() { COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMP_LINE="$*"; COMP_POINT=\${#COMP_LINE}; _photon_autocomplete; echo "$*: \${COMPREPLY[*]}"; }
      comp photon fas
      comp photon fastd li
      comp photon fastd limit --dry`;
    const r = spawnSync('bash', ['-c', script], {
      cwd: repoRoot,
      encoding: 'utf8',
      env: { ...process.env, NODE_ENV: 'production', ...env },
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('complete -F _photon_autocomplete photon');
    expect(lines[1]).toMatch(/^photon fas: fastd( fastd)*$/);
    expect(lines[2]).toBe('photon fastd li: limit');
    expect(lines[3]).toBe('photon fastd limit --dry: --dry-run');
  });

  it('zsh: prints its setup too', () => {
    const r = photonSync(['autocomplete', 'script', 'zsh'], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('PHOTON_AC_ZSH_SETUP_PATH=');
  });
});
