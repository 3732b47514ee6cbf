import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BootstrapResult } from '../../services/key-bootstrapper.js';
import type { SyncResult } from '../../services/repository-sync.js';
import { BareRepo, tempDir } from '../../test-helpers/git-testbed.js';
import { runCommand, writeSettings } from '../../test-helpers/run-command.js';
import { SshdTestbed } from '../../test-helpers/sshd-testbed.js';
import GitBootstrap from './bootstrap.js';
import GitSync from './sync.js';

describe('photon git bootstrap against a real sshd on loopback', () => {
  const sshd = new SshdTestbed();
  beforeAll(() => sshd.start());
  afterAll(() => sshd.stop());

  function gateway(host: string, extra: Record<string, unknown> = {}) {
    const dir = tempDir(`boot-${host}`);
    const root = path.join(dir, 'root');
    mkdirSync(path.join(root, 'home/gw'), { recursive: true });
    const config = writeSettings(dir, {
      photon: { hostname: host, dataDir: '/var/lib/photon' },
      git: {
        home: '/home/gw',
        identity: { name: host, email: `${host}@ffmz.org` },
        bootstrap: { alias: 'forge', hostname: '127.0.0.1', port: sshd.port, user: 'root' },
        ...extra,
      },
    });
    const run = <R = BootstrapResult>(command: typeof GitBootstrap | typeof GitSync, ...args: string[]) =>
      runCommand<R>(command, [...args, '--root', root, '--config', config, '--log-level', 'error']);
    return { root, config, ssh: path.join(root, 'home/gw/.ssh'), run };
  }

  it('creates the key, the Host block and the identity once, verifies, and clones over ssh', async () => {
    const gw = gateway('gw01');
    const first = await gw.run(GitBootstrap, '--json');
    expect(first.exitCode).toBe(0);
    const result = first.output.result!;
    expect(result).toMatchObject({
      keyFile: '/home/gw/.ssh/gw01_forge',
      keyType: 'ed25519',
      keyCreated: true,
      sshConfig: { action: 'added' },
      identity: { name: 'gw01', email: 'gw01@ffmz.org', changed: true },
    });
    expect(statSync(path.join(gw.ssh, 'gw01_forge')).mode & 0o777).toBe(0o600);
    expect(readFileSync(path.join(gw.ssh, 'gw01_forge.pub'), 'utf8').trim()).toBe(result.publicKey);
    const sshConfig = readFileSync(path.join(gw.ssh, 'config'), 'utf8');
    expect(sshConfig).toContain(`Host forge\n\tHostName 127.0.0.1\n\tUser root\n\tPort ${sshd.port}\n`);
    expect(readFileSync(path.join(gw.root, 'home/gw/.gitconfig'), 'utf8')).toMatch(
      /name = gw01\n\s*email = gw01@ffmz.org/,
    );

    const again = await gw.run(GitBootstrap);
    expect(again.exitCode).toBe(0);
    expect(again.output.result).toMatchObject({ keyCreated: false, sshConfig: { action: 'unchanged' } });
    expect(again.stdout).toContain(result.publicKey);
    expect(readFileSync(path.join(gw.ssh, 'config'), 'utf8')).toBe(sshConfig);
    expect(readdirSync(gw.ssh).filter((f) => f.includes('_backup_'))).toEqual([]);

    sshd.authorize(result.publicKey!);
    const verified = await gw.run(GitBootstrap, '--verify', '--json');
    expect(verified.exitCode).toBe(0);
    expect(verified.output.result?.verify).toMatchObject({
      ok: true,
      output: expect.stringContaining('successfully authenticated'),
    });

    // git over ssh through the alias: GIT_SSH_COMMAND carries the sandboxed ssh config.
    const bare = new BareRepo(tempDir('boot-remote'), { 'ssh.yaml': 'admins: {}\n' });
    const sync = await runCommand<SyncResult>(GitSync, [
      '--root',
      gw.root,
      '--config',
      writeSettings(path.dirname(gw.root), {
        git: { repositories: [{ name: 'configs', remote: `forge:${bare.bare}`, dir: '/srv/configs' }] },
      }),
      '--config',
      gw.config,
      '--json',
      '--log-level',
      'error',
    ]);
    expect(sync.exitCode).toBe(0);
    expect(sync.output.result?.repositories[0]).toMatchObject({ action: 'cloned', after: bare.head() });
    expect(readFileSync(path.join(gw.root, 'srv/configs/ssh.yaml'), 'utf8')).toBe('admins: {}\n');
  });

  it('a wrong host key and a refused key exit 69 with a clear reason', async () => {
    const gw = gateway('gw02');
    const made = await gw.run(GitBootstrap, '--json');
    const refused = await gw.run(GitBootstrap, '--verify', '--json');
    expect(refused.exitCode).toBe(69);
    expect(refused.output.error?.message).toMatch(/permission denied/);

    sshd.authorize(made.output.result!.publicKey!);
    const other = path.join(tempDir('boot-otherkey'), 'k');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other]);
    const otherKey = readFileSync(`${other}.pub`, 'utf8').split(' ').slice(0, 2).join(' ');
    writeFileSync(path.join(gw.ssh, 'known_hosts'), `[127.0.0.1]:${sshd.port} ${otherKey}\n`);
    const wrongHost = await gw.run(GitBootstrap, '--verify', '--json');
    expect(wrongHost.exitCode).toBe(69);
    expect(wrongHost.output.error?.message).toMatch(/host key verification failed/);
  });

  it('creates an RSA 4096 key on request and changes nothing in dry-run', async () => {
    const dry = gateway('gw03');
    const planned = await dry.run(GitBootstrap, '--rsa', '--dry-run', '--json');
    expect(planned.output.result).toMatchObject({ keyCreated: true, keyType: 'rsa' });
    expect(readdirSync(path.join(dry.root, 'home/gw'))).toEqual([]);
    const made = await dry.run(GitBootstrap, '--rsa', '--json');
    expect(made.exitCode).toBe(0);
    expect(
      execFileSync('ssh-keygen', ['-l', '-f', path.join(dry.ssh, 'gw03_forge')], { encoding: 'utf8' }),
    ).toMatch(/^4096 .*\(RSA\)/);
  });
});
