import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PAST_TENSE_CLAIMS } from '@ffphoton/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractViolations } from './helpers/json-contract.js';
import { photonSync, repoRoot } from './helpers/photon.js';

interface CommandEntry {
  command: string;
  flags: Array<{ name: string; required: boolean }>;
  args: Array<{ name: string; required: boolean }>;
}

// Every command that changes something, run with --dry-run on a whole gateway (the demo's sandbox
// after one real cycle): it claims no change in the past tense and changes nothing in the sandbox.

/** What a command needs besides --dry-run to get as far as its changes (root: the sandbox). */
const extraArgs = (root: string): Record<string, string[]> => ({
  'config init': ['--out', '/etc/photon/photon.yaml', '--force'],
  // exec runs programs outside the sandbox: the probe would land inside it.
  exec: ['--name', 'dry-run-probe', '--', 'touch', path.join(root, 'exec-probe')],
  'git deploy-keys': ['admins'],
  'schedule crontab': ['--host', 'Kaschu', '--install'],
  'schedule systemd': ['--host', 'Kaschu', '--out', '/etc/systemd/system'],
  'plugins new': ['photon-plugin-probe', '--dir', '/srv/photon-plugin-probe'],
});

/** Path → kind, mode, size and content hash of every entry under dir. */
function treeState(dir: string): Record<string, string> {
  const state: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true }).map(String).sort()) {
    const file = path.join(dir, entry);
    const stat = lstatSync(file);
    if (stat.isSymbolicLink()) state[entry] = `link ${readlinkSync(file)}`;
    else if (stat.isFile()) {
      const digest = createHash('sha256').update(readFileSync(file)).digest('hex');
      state[entry] = `file ${stat.mode.toString(8)} ${digest}`;
    } else state[entry] = `${stat.isDirectory() ? 'dir' : 'other'} ${stat.mode.toString(8)}`;
  }
  return state;
}

describe('--dry-run on every command', () => {
  let demo: string;
  let config: string[];
  const env = { PHOTON_DATA_DIR: '/var/lib/photon', HOME: '/root', XDG_CONFIG_HOME: '', XDG_DATA_HOME: '' };

  beforeAll(() => {
    demo = mkdtempSync(path.join(os.tmpdir(), 'dry-run-'));
    const run = spawnSync(process.execPath, ['scripts/demo.mjs'], {
      cwd: repoRoot,
      encoding: 'utf8',
      env: { ...process.env, PHOTON_DEMO_DIR: demo },
      timeout: 240_000,
    });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    config = [
      ...['examples/community', 'examples/demo/overrides.yaml'].map((f) => path.join(repoRoot, f)),
      ...['generated.yaml', 'generated-fastd.yaml'].map((f) => path.join(demo, f)),
    ].flatMap((f) => ['--config', f]);
  }, 300_000);

  afterAll(() => rmSync(demo, { recursive: true, force: true }));

  it('claims no change and changes nothing in the sandbox', async () => {
    const listed = photonSync(['commands', '--json']);
    expect(listed.code).toBe(0);
    const commands = (JSON.parse(listed.stdout) as CommandEntry[]).filter((c) =>
      c.flags.some((flag) => flag.name === 'dry-run'),
    );
    expect(commands.length).toBeGreaterThan(15);
    const root = path.join(demo, 'root');
    const before = treeState(root);
    const claims: string[] = [];
    for (const command of commands) {
      const required = [...command.args, ...command.flags].some((a) => a.required);
      const extra = extraArgs(root)[command.command];
      // A new command with required arguments must say here how it is run.
      expect({ command: command.command, missing: required && !extra }).toEqual({
        command: command.command,
        missing: false,
      });
      const args = [
        ...command.command.split(' '),
        '--dry-run',
        '--root',
        root,
        ...config,
        '--log-level',
        'info',
      ];
      const run = photonSync([...args, ...(extra ?? [])], { env });
      const summary = run.stderr
        .split('\n')
        .filter((line) => line.includes('"exitCode"'))
        .map((line) => JSON.parse(line).msg as string);
      // A line reporting a failure quotes another program's words, not photon's claims.
      const lines = [...summary, ...run.stdout.split('\n')].filter((line) => !/\bfailed\b/.test(line));
      for (const text of lines) {
        if (PAST_TENSE_CLAIMS.test(text)) claims.push(`${command.command}: ${text}`);
      }
    }
    expect(claims).toEqual([]);
    expect(treeState(root)).toEqual(before);
  }, 240_000);

  // The --json contract (docs/json-output.md), on a whole gateway: each of those runs, and the
  // read-only commands, print JSON that validates against the command's schema in schemas/commands.
  it("prints --json output that matches the command's schema", () => {
    const root = path.join(demo, 'root');
    const listed = JSON.parse(photonSync(['commands', '--json']).stdout) as CommandEntry[];
    const runs = [
      ...listed
        .filter((c) => c.flags.some((flag) => flag.name === 'dry-run'))
        .map((c) => [c.command, '--dry-run', ...(extraArgs(root)[c.command] ?? [])]),
      // Read-only commands with more to show here than on the example community (json-contract.test.ts).
      ...['doctor', 'history', 'icvpn check', 'fastd status'].map((c) => [c]),
      ['fastd verify', 'no-such-key'],
      ['alfred read', '158'],
    ];
    const violations: string[] = [];
    let results = 0;
    for (const [command, ...extra] of runs) {
      const run = photonSync([...command.split(' '), '--json', '--root', root, ...config, ...extra], { env });
      violations.push(...contractViolations(command, run.stdout));
      if (/^ {2}"result": /m.test(run.stdout)) results++;
    }
    expect(violations).toEqual([]);
    // Most runs get as far as a result: the results' schemas are checked, not only the envelope.
    expect(results).toBeGreaterThan(20);
  }, 120_000);
});
