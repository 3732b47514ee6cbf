import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { exampleConfig, logMessages, photon, photonBin, photonSync, sandbox } from './helpers/photon.js';

function writeConfig(root: string, name: string, text: string): string {
  const file = path.join(root, name);
  writeFileSync(file, text);
  return file;
}

describe('photon CLI', () => {
  it('lists every topic with a description', async () => {
    const { code, stdout } = await photon(['--help']);
    expect(code).toBe(0);
    for (const topic of ['config', 'history', 'doctor', 'plugins'])
      expect(stdout).toMatch(new RegExp(`\\n\\s+${topic}\\s+\\S`));
  });

  it('bundles every first-party plugin as a core plugin', async () => {
    const { code, stdout } = await photon(['plugins', '--core']);
    expect(code).toBe(0);
    // plugin-plugins shows scoped first-party plugins by their friendly name.
    for (const plugin of ['git', 'icvpn', 'fastd', 'alfred', 'web'])
      expect(stdout).toMatch(new RegExp(`^${plugin} \\d+\\.\\d+\\.\\d+ \\(core\\)$`, 'm'));
    // oclif.plugins names each one (no glob: matching costs start-up), and so do the dependencies.
    const packages = path.resolve(import.meta.dirname, '../packages');
    const cli = JSON.parse(readFileSync(path.join(packages, 'cli/package.json'), 'utf8'));
    const firstParty = readdirSync(packages)
      .filter((dir) => dir.startsWith('plugin-'))
      .map((dir) => JSON.parse(readFileSync(path.join(packages, dir, 'package.json'), 'utf8')).name);
    expect(firstParty).toHaveLength(5);
    for (const name of firstParty) {
      expect(cli.oclif.plugins).toContain(name);
      expect(Object.keys(cli.dependencies)).toContain(name);
    }
  });

  it('prints its version', async () => {
    const { code, stdout } = await photon(['--version']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^@ffphoton\/cli\/\d+\.\d+\.\d+ /);
  });

  it('config show prints resolved settings and reads /etc/photon under --root', async () => {
    const { root, env } = sandbox();
    mkdirSync(path.join(root, 'etc/photon'), { recursive: true });
    writeFileSync(
      path.join(root, 'etc/photon/photon.yaml'),
      'photon:\n  hostname: kaschu\n  journal: {keep: 7}\n',
    );
    const { code, stdout } = await photon(
      ['config', 'show', 'photon.journal', '--root', root, '--format', 'json'],
      { env },
    );
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ keep: 7 });
    // An omitted argument is not taken from stdin (oclif's default): the whole tree is shown.
    const piped = await photon(['config', 'show', '--root', root, '--format', 'json'], {
      env,
      input: 'photon.journal\n',
    });
    expect(piped.code).toBe(0);
    expect(JSON.parse(piped.stdout).photon.journal).toEqual({ keep: 7 });
  });

  it('output to a reader that went away ends quietly, and printing sets up no stdio stream', async () => {
    const { root, env } = sandbox();
    // `photon config show | head -c0`: the reader is gone before the first write (EPIPE).
    const child = spawn(
      process.execPath,
      [photonBin, 'config', 'show', '--root', root, '--config', exampleConfig],
      {
        env: { ...process.env, NODE_ENV: 'production', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });

    // Node's stdio streams load the stream machinery (and net, for a pipe) on first use: ~4 ms
    // of every run. Commands print through the descriptor instead (core's host/stdio.ts).
    const traced = photonSync(['config', 'validate', '--root', root, '--config', exampleConfig], {
      env,
      nodeArgs: ['--require', path.join(import.meta.dirname, 'helpers/print-stdio-use.cjs')],
    });
    expect(traced.code).toBe(0);
    expect(traced.stdout).toContain('settings valid');
    expect(traced.stderr.trim().split('\n').at(-1)).toBe('stdio streams: none');
  });

  it('config show never prints a secret', async () => {
    const { root, env } = sandbox();
    const file = writeConfig(
      root,
      'secret.yaml',
      'mail:\n  transport: smtp\n  smtp: {host: mx.example.org, user: gw, password: hunter2-secret}\n',
    );
    const { code, stdout } = await photon(
      ['config', 'show', 'mail.smtp', '--root', root, '--config', file, '--format', 'json'],
      {
        env,
      },
    );
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ host: 'mx.example.org', user: 'gw', password: '[redacted]' });
    expect(stdout).not.toContain('hunter2');
  });

  it('--json prints one JSON document on stdout, logs stay on stderr', async () => {
    const { root, env } = sandbox();
    const { code, stdout } = await photon(
      ['config', 'validate', '--root', root, '--json', '--log-level', 'info'],
      { env },
    );
    expect(code).toBe(0);
    const doc = JSON.parse(stdout);
    expect(doc).toMatchObject({ ok: true, task: 'config-validate', exitCode: 0 });
    expect(doc.result.namespaces).toContain('photon');
  });

  it.each([
    ['malformed YAML', 'photon:\n  journal: {keep: 7\n', /bad\.yaml:\d+:\d+: invalid YAML/],
    [
      'a wrong type',
      'photon:\n  journal:\n    keep: many\n',
      /bad\.yaml:3:11: photon\.journal\.keep: .*expected number/i,
    ],
    [
      'an unknown top-level key',
      'photn:\n  hostname: x\n',
      /bad\.yaml:1:1: photn: unknown top-level key \(did you mean "photon"\?\)/,
    ],
  ])('config validate exits 2 on %s, naming file, line and key', async (_name, text, message) => {
    const { root, env } = sandbox();
    const file = writeConfig(root, 'bad.yaml', text);
    const { code, stderr, stdout } = await photon(['config', 'validate', '--root', root, '--config', file], {
      env,
    });
    expect(code).toBe(2);
    expect(logMessages(stderr)).toEqual([expect.stringMatching(message)]);
    expect(stdout).toBe('');
  });

  it('a missing --config file and a missing --root exit 2 with one clear message', async () => {
    const { root, env } = sandbox();
    let run = await photon(['config', 'validate', '--root', root, '--config', '/nonexistent.yaml'], { env });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('/nonexistent.yaml: file not found');
    // The JSON log names the error's class as written, not as the bundle renamed it.
    expect(run.stderr).toContain('"type":"ConfigError"');
    run = await photon(['config', 'validate', '--root', '/nonexistent/root'], { env });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--root /nonexistent/root: directory does not exist');
  });

  it('config init writes a commented starter that validates, and refuses to overwrite', async () => {
    const { root, env } = sandbox();
    let run = await photon(['config', 'init', '--root', root], { env });
    expect(run.code).toBe(0);
    const text = readFileSync(path.join(root, 'etc/photon/photon.yaml'), 'utf8');
    expect(text).toMatch(/^# --- photon: /m);
    expect(text.split('\n').filter((l) => l && !l.startsWith('#'))).toEqual([]);
    run = await photon(['config', 'validate', '--root', root], { env });
    expect(run.code).toBe(0);
    run = await photon(['config', 'init', '--root', root], { env });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('exists; use --force');
  });

  it("config init's starter, uncommented, is valid and shows one example entry per list", async () => {
    const { root, env } = sandbox();
    expect((await photon(['config', 'init', '--root', root], { env })).code).toBe(0);
    const text = readFileSync(path.join(root, 'etc/photon/photon.yaml'), 'utf8');
    // Each section: one line saying what it is for, then its settings.
    expect(text).toMatch(/^# --- fastd: \S.*\n# fastd:$/m);
    const uncommented = text
      .slice(text.indexOf('# --- '))
      .split('\n')
      .filter((line) => line.startsWith('# ') && !line.startsWith('# --- '))
      .map((line) => line.slice(2))
      .join('\n');
    const settings = parseYaml(uncommented) as Record<string, Record<string, unknown>>;
    expect((settings.fastd.instances as unknown[]).length).toBe(1);
    expect((settings.icvpn.outputs as unknown[]).length).toBe(1);
    expect((settings.fleet.hosts as unknown[]).length).toBe(1);
    writeFileSync(path.join(root, 'starter.yaml'), uncommented);
    const run = await photon(['config', 'validate', '--root', root, '-c', path.join(root, 'starter.yaml')], {
      env,
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });

  it('doctor reports legacy Python Photon files and missing binaries as a table', async () => {
    const { root, env } = sandbox();
    mkdirSync(path.join(root, 'root/.config/photon'), { recursive: true });
    writeFileSync(path.join(root, 'root/.config/photon/config.yaml'), 'frozen: settings\n');
    const { stdout } = await photon(['doctor', '--root', root, '--json'], { env });
    const doc = JSON.parse(stdout);
    const legacy = doc.result.checks.find((c: { check: string }) => c.check === 'legacy Python Photon file');
    expect(legacy.detail).toContain('/root/.config/photon/config.yaml');
  });

  it('doctor checks the programs the settings configure, for configured namespaces only', async () => {
    const { root, env } = sandbox();
    const config = writeConfig(
      root,
      'doctor.yaml',
      [
        'alfred:',
        '  meshes: [{ name: mz }]',
        '  command: [sudo, -n, /opt/nowhere/alfred]',
        'mail: { transport: smtp }',
        '',
      ].join('\n'),
    );
    const run = await photon(['doctor', '--root', root, '--config', config, '--json'], { env });
    const checks: { check: string; status: string; neededBy: string }[] = JSON.parse(run.stdout).result
      .checks;
    const binary = (name: string) => checks.find((c) => c.check === `binary ${name}`);
    // The configured client, not the default `alfred`, and the sudo in front of it.
    expect(binary('/opt/nowhere/alfred')).toMatchObject({ status: 'missing', neededBy: 'alfred' });
    expect(binary('sudo')?.neededBy).toBe('alfred');
    expect(binary('alfred')).toBeUndefined();
    expect(binary('batctl')?.neededBy).toBe('alfred');
    // photon's own service actions always; namespaces that are not configured not at all.
    expect(binary('systemctl')?.neededBy).toBe('photon');
    for (const absent of ['bird', 'tincd', 'vnstat', 'git', '/usr/sbin/sendmail'])
      expect(binary(absent)).toBeUndefined();
    expect(run.code).toBe(5);
  });
});
