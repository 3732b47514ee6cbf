import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { exampleConfig, photon, photonBin } from './helpers/photon.js';

// Usage mistakes an admin makes at the prompt: each exits 2 (the README's usage-error code) with
// one message in the words typed, and a hint where one is close.
describe('photon usage errors', () => {
  it('a mistyped command suggests the real one and exits 2', async () => {
    const r = await photon(['fastd', 'stauts']);
    expect(r.code).toBe(2);
    expect(r.stderr.replace(/\s+/g, ' ')).toContain(
      '"photon fastd stauts" is not a photon command. Did you mean "photon fastd status"?',
    );
    expect(r.stderr).not.toContain('fastd:stauts');
    expect(r.stdout).toBe('');
  });

  it('a mistyped topic and a mistyped --version get hints too', async () => {
    const topic = await photon(['confg', 'validate']);
    expect(topic.code).toBe(2);
    expect(topic.stderr.replace(/\s+/g, ' ')).toContain('Did you mean "photon config validate"?');
    const version = await photon(['--versoin']);
    expect(version.code).toBe(2);
    expect(version.stderr.replace(/\s+/g, ' ')).toContain('Did you mean "photon --version"?');
  });

  it('an unknown flag names the nearest real flag and exits 2', async () => {
    const r = await photon(['fastd', 'limit', '--dry-rn']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Nonexistent flag: --dry-rn. Did you mean --dry-run?');
  });

  it('a bad option value, a bad integer and a missing argument exit 2', async () => {
    for (const args of [
      ['fastd', 'limit', '--log-level', 'loud'],
      ['history', '--limit', 'many'],
      ['fastd', 'verify'],
    ]) {
      const r = await photon(args);
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
    }
  });

  it('every photon command shows an example in its help, and read-only ones offer no --dry-run', async () => {
    const listed = await photon(['commands', '--json']);
    expect(listed.code).toBe(0);
    const commands = JSON.parse(listed.stdout) as Array<{
      command: string;
      plugin: string;
      examples: string[];
      flags: Array<{ name: string }>;
    }>;
    const ours = commands.filter((c) => c.plugin.startsWith('@ffphoton/'));
    expect(ours.length).toBeGreaterThan(30);
    expect(ours.filter((c) => c.examples.length === 0).map((c) => c.command)).toEqual([]);
    // oclif's own commands get theirs when help is asked for (bin/run.js).
    for (const command of ['plugins reset', 'plugins update']) {
      const help = await photon(['help', ...command.split(' ')]);
      expect(help.stdout).toMatch(new RegExp(`^EXAMPLES\\n  \\$ photon ${command}`, 'm'));
    }
    // The help command's own page (oclif printed the root help, which has no examples).
    for (const args of [
      ['help', 'help'],
      ['help', '--help'],
    ]) {
      const help = await photon(args);
      expect({ args, first: help.stdout.split('\n')[0] }).toEqual({
        args,
        first: 'Display help for photon.',
      });
      expect(help.stdout).toMatch(/^EXAMPLES\n {2}\$ photon help fastd$/m);
    }
    expect((await photon(['help'])).stdout).toMatch(/^TOPICS$/m);
    const readOnly = ['history', 'config show', 'config validate', 'doctor', 'fastd status', 'fastd verify'];
    for (const name of readOnly) {
      const flags = ours.find((c) => c.command === name)?.flags.map((f) => f.name);
      expect({ name, flags }).toEqual({
        name,
        flags: expect.not.arrayContaining(['dry-run', 'lock', 'wait']),
      });
    }
  });

  it('on a terminal the summary shows once, coloured unless NO_COLOR; without one a run is quiet', async () => {
    // script(1) gives the run a terminal, as an admin's shell does.
    const quote = (word: string) => `'${word.replaceAll("'", "'\\''")}'`;
    const command = [process.execPath, photonBin, 'config', 'validate', '-c', exampleConfig]
      .map(quote)
      .join(' ');
    const atTerminal = (env: Record<string, string>) =>
      spawnSync('script', ['-qec', command, '/dev/null'], {
        encoding: 'utf8',
        env: { ...process.env, ...env },
      });
    const coloured = atTerminal({ NO_COLOR: '' });
    expect(coloured.status).toBe(0);
    expect(coloured.stdout.match(/settings valid:/g)).toHaveLength(1);
    expect(coloured.stdout).toContain('\u001b[32mINFO');
    const plain = atTerminal({ NO_COLOR: '1' });
    expect(plain.stdout.match(/settings valid:/g)).toHaveLength(1);
    expect(plain.stdout).not.toContain('\u001b[');
    // Under cron (no terminal): the summary goes to stdout only for who asked; stderr stays empty.
    const cron = await photon(['config', 'validate', '-c', exampleConfig]);
    expect(cron.stderr).toBe('');
  });

  it('at a terminal a run over 2 s shows a progress line, erased at the end; under cron none', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'progress-'));
    const args = ['exec', '--name', 'slow', '--root', root, '--', 'sleep', '3'];
    const command = [process.execPath, photonBin, ...args].map((w) => `'${w}'`).join(' ');
    const tty = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8' });
    expect(tty.status).toBe(0);
    expect(tty.stdout).toContain('\r\u001b[2K… slow 2 s');
    expect(tty.stdout).toMatch(/… slow \d s\r\u001b\[2K/);
    const cron = await photon(args);
    expect(cron.code).toBe(0);
    expect(cron.stderr).toBe('');
  });
});
