// The --json contract (docs/json-output.md): every command photon lists has a committed JSON Schema
// of what it prints with --json, and real output validates against it. The runs on a whole gateway
// (every --dry-run command on the demo's sandbox) are in dry-run.test.ts, which builds that sandbox.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { contractViolations, schemaDir, schemaFile, validatorOf } from './helpers/json-contract.js';
import { exampleConfig, photon, photonSync, repoRoot, sandbox } from './helpers/photon.js';

interface Listed {
  command: string;
  plugin: string;
  flags: Array<{ name: string }>;
}

const listing = photonSync(['commands', '--json']);
const commands: Listed[] = JSON.parse(listing.stdout);

describe('--json schemas', () => {
  it('exist for every command photon lists, and only for those', () => {
    expect(commands.length).toBeGreaterThan(40);
    const files = readdirSync(schemaDir).filter((f) => f.endsWith('.json'));
    expect(files.sort()).toEqual(commands.map((c) => path.basename(schemaFile(c.command))).sort());
  });

  it('compile as JSON Schema 2020-12 in strict mode', () => {
    for (const { command } of commands) expect(() => validatorOf(command), command).not.toThrow();
  });

  it('say "no JSON document" for the commands without --json, and never for photon\'s own', () => {
    for (const { command, plugin, flags } of commands) {
      const none = JSON.stringify(JSON.parse(readFileSync(schemaFile(command), 'utf8')).not) === '{}';
      const json = flags.some((f) => f.name === 'json');
      // oclif's `plugins install` has --json but prints nothing: its run() returns nothing.
      const expected = !json || (!plugin.startsWith('@ffphoton/') && none);
      expect({ command, none }).toEqual({ command, none: expected });
    }
  });
});

describe('--json output matches the schema', () => {
  const { root, env } = sandbox('json-contract-');
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const config = ['--config', exampleConfig];

  /** Runs a command with --json in the sandbox: its exit code and what the schema finds wrong. */
  function check(command: string, args: string[] = []) {
    const run = photonSync([...command.split(' '), '--json', '--root', root, ...args], { env });
    return { command, code: run.code, violations: contractViolations(command, run.stdout) };
  }

  it('of commands', () => {
    expect(listing.code).toBe(0);
    expect(contractViolations('commands', listing.stdout)).toEqual([]);
  });

  it('of read-only commands on the example community, success and failure envelopes alike', () => {
    const results = [
      check('config validate', config),
      check('config show', config),
      check('schedule show', config),
      check('history', config),
      check('history', [...config, '--incidents']),
      // Partial (exit 5): a result and error.problems; which programs are missing depends on the machine.
      check('doctor', config),
      // Failures print the same envelope with `error` instead of `result`.
      check('icvpn check', [...config, '/no/such/meta']),
      check('fastd status', config),
      check('git sync', ['--config', path.join(root, 'missing.yaml')]),
      // A usage error oclif finds before the run: the envelope too (oclif's held its whole config).
      check('git sync', ['--bogus']),
    ];
    expect(results.filter((r) => r.violations.length > 0)).toEqual([]);
    expect(results.map((r) => r.code)).toEqual([0, 0, 0, 0, 0, expect.toBeOneOf([0, 5]), 1, 69, 2, 2]);
    const usage = photonSync(['git', 'sync', '--json', '--bogus'], { env });
    expect(JSON.parse(usage.stdout)).toMatchObject({
      ok: false,
      exitCode: 2,
      error: { code: 'USAGE', message: expect.stringMatching(/^Nonexistent flag: --bogus/) },
    });
  });

  it('of fastd status reading a status document a real fastd wrote (a gateway with peers)', async () => {
    // The status socket answers as fastd does: one JSON document, then it closes.
    const document = readFileSync(
      path.join(repoRoot, 'packages/plugin-fastd/test-data/status-gw-tap.raw.json'),
    );
    mkdirSync(path.join(root, 'run'), { recursive: true });
    const server = net.createServer((socket) => socket.end(document));
    await new Promise<void>((resolve) => server.listen(path.join(root, 'run/fastd.status'), resolve));
    const settings = path.join(root, 'fastd.yaml');
    const instance = {
      name: 'gw',
      interface: 'gw0',
      configFile: '/etc/fastd/gw.conf',
      statusSocket: '/run/fastd.status',
    };
    writeFileSync(settings, JSON.stringify({ fastd: { instances: [instance] } }));
    try {
      const run = await photon(['fastd', 'status', '--json', '--root', root, '--config', settings], { env });
      expect(run.code, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout).result).toBeDefined();
      expect(contractViolations('fastd status', run.stdout)).toEqual([]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('and the schema refuses what the types do not declare', () => {
    const run = photonSync(['schedule', 'show', '--json', ...config], { env });
    expect(contractViolations('schedule show', run.stdout)).toEqual([]);
    const output = JSON.parse(run.stdout);
    const undeclared = { ...output, result: { ...output.result, extra: 1 } };
    expect(contractViolations('schedule show', JSON.stringify(undeclared))).toEqual([
      expect.stringContaining('/result must NOT have additional properties'),
    ]);
    const retyped = { ...output, exitCode: '0' };
    expect(contractViolations('schedule show', JSON.stringify(retyped))).toEqual([
      expect.stringContaining('/exitCode must be number'),
    ]);
    const { summary: _summary, ...summaryless } = output;
    expect(contractViolations('schedule show', JSON.stringify(summaryless))).toEqual([
      expect.stringContaining("must have required property 'summary'"),
    ]);
    expect(contractViolations('schedule show', 'schedule: 3 jobs')).toEqual([
      expect.stringContaining('stdout is not one JSON document'),
    ]);
  });
});
