import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { FileStore, GitService, gitSettings, RootSandbox, Shell } from '@ffphoton/core';
import { describe, expect, it } from 'vitest';
import { ConfigSnapshot, type SnapshotResult } from '../../services/config-snapshot.js';
import { BareRepo, git, tempDir } from '../../test-helpers/git-testbed.js';
import { runCommand, writeSettings } from '../../test-helpers/run-command.js';
import GitSnapshot from './snapshot.js';

function gateway(root: string) {
  const write = (p: string, content: string, mode = 0o644) => {
    mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
    writeFileSync(path.join(root, p), content);
    chmodSync(path.join(root, p), mode);
  };
  write('/etc/bird/bird.conf', 'router id 10.0.0.1;\n');
  write('/etc/bird/peers/icvpn.conf', 'protocol bgp icvpn_x {}\n');
  write('/etc/fastd/mz/fastd.conf', 'interface "mzVPN";\n');
  write('/etc/fastd/mz/secret.conf', 'secret "00aa";\n');
  write('/etc/fastd/mz/tls.key', 'anything\n');
  write(
    '/etc/openvpn/client.conf',
    'remote vpn\n-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n',
  );
  write('/home/gw/.ssh/config', 'Host github\n');
  write('/home/gw/.ssh/id_ed25519', 'private\n', 0o600);
  write('/home/gw/.ssh/authorized_keys', 'ssh-ed25519 AAAA admin\n');
}

function settings(root: string, remote: string, extra: Record<string, unknown> = {}) {
  return writeSettings(root, {
    photon: { hostname: 'gw01', dataDir: '/var/lib/photon' },
    git: {
      home: '/home/gw',
      identity: { name: 'gw01', email: 'gw01@ffmz.org' },
      snapshot: {
        repository: { remote, dir: '/var/lib/photon/gateway-configs' },
        paths: ['/etc/bird', '/etc/fastd', '/etc/openvpn/client.conf', '/etc/missing.conf', '~/.ssh'],
        queueFile: 'queue.yaml',
        commands: { crontab: ['echo', '23 5 * * * photon git snapshot'], failing: ['false'] },
      },
      ...extra,
    },
  });
}

describe('photon git snapshot', () => {
  it('mirrors paths and command outputs into <repo>/<host>/, skips private keys, commits once', async () => {
    const dir = tempDir('snap');
    const remote = new BareRepo(dir, { 'queue.yaml': 'locations:\n  - /etc/network/interfaces\n' });
    const root = path.join(dir, 'root');
    gateway(root);
    mkdirSync(path.join(root, 'etc/network'), { recursive: true });
    writeFileSync(path.join(root, 'etc/network/interfaces'), 'auto lo\n');
    const config = settings(root, remote.bare);
    const argv = ['--root', root, '--config', config, '--json', '--log-level', 'error'];

    const first = await runCommand<SnapshotResult>(GitSnapshot, argv);
    expect(first.exitCode).toBe(0);
    expect(first.output.result).toMatchObject({ published: true, missing: ['/etc/missing.conf'] });
    expect(first.output.result?.denied.sort()).toEqual([
      '/etc/fastd/mz/secret.conf',
      '/etc/fastd/mz/tls.key',
      '/etc/openvpn/client.conf',
      '/home/gw/.ssh/id_ed25519',
    ]);
    expect(remote.files().sort()).toEqual([
      'gw01/crontab',
      'gw01/etc/bird/bird.conf',
      'gw01/etc/bird/peers/icvpn.conf',
      'gw01/etc/fastd/mz/fastd.conf',
      'gw01/etc/network/interfaces',
      'gw01/home/gw/.ssh/authorized_keys',
      'gw01/home/gw/.ssh/config',
      'queue.yaml',
    ]);
    expect(remote.show('gw01/crontab')).toBe('23 5 * * * photon git snapshot\n');
    expect(remote.log()).toEqual(['gw01: photon snapshot', 'seed']);

    const second = await runCommand<SnapshotResult>(GitSnapshot, argv);
    expect(second.exitCode).toBe(0);
    expect(second.output.result).toMatchObject({ written: 0, removed: 0, published: false });
    expect(second.output.result?.commit).toBeUndefined();
    expect(remote.log()).toHaveLength(2);

    // A removed file disappears from the snapshot; --dry-run shows it and changes nothing.
    rmSync(path.join(root, 'etc/bird/peers/icvpn.conf'));
    const dry = await runCommand<SnapshotResult>(GitSnapshot, [...argv, '--dry-run']);
    expect(dry.output.result).toMatchObject({ removed: 1, published: false });
    expect(remote.files()).toContain('gw01/etc/bird/peers/icvpn.conf');
    const clone = path.join(root, 'var/lib/photon/gateway-configs');
    expect(git(clone, 'status', '--porcelain')).toBe('');
    const third = await runCommand<SnapshotResult>(GitSnapshot, argv);
    expect(third.output.result).toMatchObject({ removed: 1, published: true });
    expect(remote.files()).not.toContain('gw01/etc/bird/peers/icvpn.conf');
  });

  it('seven gateways snapshotting into one repository at the same moment lose nothing', async () => {
    const dir = tempDir('snap7');
    const remote = new BareRepo(dir);
    const hosts = Array.from({ length: 7 }, (_, i) => `gw0${i + 1}`);
    const results = await Promise.all(
      hosts.map((host) => {
        const root = path.join(dir, host);
        gateway(root);
        writeFileSync(path.join(root, 'etc/bird/bird.conf'), `router id for ${host};\n`);
        const cfg = gitSettings.schema.parse({
          home: '/home/gw',
          publish: { retries: 30, backoffMs: 100 },
          snapshot: {
            repository: { remote: remote.bare, dir: '/srv/configs' },
            paths: ['/etc/bird'],
            commands: {},
          },
        });
        const files = new FileStore(new RootSandbox(root), { dryRun: false });
        const shell = new Shell({ dryRun: false, defaultTimeoutMs: 60_000 });
        return new ConfigSnapshot(shell, files, new GitService(cfg, files, host), host).run(cfg.snapshot);
      }),
    );
    expect(results.every((r) => r.published)).toBe(true);
    expect(remote.log().filter((s) => s.endsWith('photon snapshot'))).toHaveLength(7);
    for (const host of hosts)
      expect(remote.show(`${host}/etc/bird/bird.conf`)).toBe(`router id for ${host};\n`);
  }, 120_000);

  it('a conflicting rebase exits 4 and leaves the clone as it was', async () => {
    const dir = tempDir('snap-conflict');
    const remote = new BareRepo(dir, { 'queue.yaml': 'locations: []\n' });
    const root = path.join(dir, 'root');
    gateway(root);
    const config = settings(root, remote.bare, { publish: { retries: 2, backoffMs: 10 } });
    const argv = ['--root', root, '--config', config, '--json', '--log-level', 'error'];
    expect((await runCommand(GitSnapshot, argv)).exitCode).toBe(0);
    // A previous run committed but could not push; meanwhile someone edited the same file upstream.
    const clone = path.join(root, 'var/lib/photon/gateway-configs');
    writeFileSync(path.join(clone, 'gw01/etc/bird/bird.conf'), 'router id 10.0.0.2;\n');
    git(clone, '-c', 'user.name=gw01', '-c', 'user.email=gw01@x', 'commit', '--quiet', '-am', 'unpushed');
    const localHead = git(clone, 'rev-parse', 'HEAD');
    remote.commit({ 'gw01/etc/bird/bird.conf': 'edited upstream\n' }, 'hand edit');
    const conflict = await runCommand(GitSnapshot, argv);
    expect(conflict.exitCode).toBe(4);
    expect(conflict.output.error?.code).toBe('GIT_CONFLICT');
    expect(git(clone, 'status', '--porcelain=v2', '--branch')).not.toMatch(/^u /m);
    expect(readFileSync(path.join(clone, 'gw01/etc/bird/bird.conf'), 'utf8')).toBe('router id 10.0.0.2;\n');
    expect(git(clone, 'rev-parse', 'HEAD')).toBe(localHead);
    expect(git(clone, 'status', '--porcelain')).toBe('');
    expect(remote.show('gw01/etc/bird/bird.conf')).toBe('edited upstream\n');
  });

  it('a broken queue file exits 2 and commits nothing', async () => {
    const dir = tempDir('snap-queue');
    const remote = new BareRepo(dir, { 'queue.yaml': 'locations: [unclosed\n' });
    const root = path.join(dir, 'root');
    gateway(root);
    const bad = await runCommand(GitSnapshot, [
      '--root',
      root,
      '--config',
      settings(root, remote.bare),
      '--json',
    ]);
    expect(bad.exitCode).toBe(2);
    expect(bad.output.error?.message).toMatch(/queue.yaml/);
    expect(remote.log()).toEqual(['seed']);
  });
});
