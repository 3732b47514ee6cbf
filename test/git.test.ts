import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { photon, sandbox } from './helpers/photon.js';

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

function bareRepo(dir: string): string {
  const bare = path.join(dir, 'configs.git');
  const seed = path.join(dir, 'seed');
  git(dir, 'init', '--quiet', '--bare', '--initial-branch=main', bare);
  git(dir, 'clone', '--quiet', bare, seed);
  writeFileSync(path.join(seed, 'queue.yaml'), 'locations:\n  - /etc/network/interfaces\n');
  git(seed, 'add', '-A');
  git(seed, '-c', 'user.name=t', '-c', 'user.email=t@x', 'commit', '--quiet', '-m', 'seed');
  git(seed, 'push', '--quiet', 'origin', 'HEAD:main');
  return bare;
}

describe('photon git (built binary)', () => {
  it('snapshot commits once, an unchanged second run is a no-op', async () => {
    const { root, env } = sandbox('photon-e2e-git-');
    const bare = bareRepo(root);
    for (const [file, text] of [
      ['etc/network/interfaces', 'auto lo\n'],
      ['etc/bird/bird.conf', 'router id 10.0.0.1;\n'],
      ['etc/bird/bird.key', 'secret\n'],
    ]) {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      writeFileSync(path.join(root, file), text);
    }
    const config = path.join(root, 'photon.yaml');
    writeFileSync(
      config,
      [
        'photon: { hostname: kaschu }',
        'git:',
        '  snapshot:',
        `    repository: { remote: ${bare}, dir: /var/lib/photon/gateway-configs }`,
        '    queueFile: queue.yaml',
        '    paths: [/etc/bird]',
        '    commands: { crontab: [echo, "23 5 * * * photon git snapshot"] }',
        '',
      ].join('\n'),
    );
    const args = ['git', 'snapshot', '--root', root, '--config', config, '--json'];
    const first = await photon(args, { env });
    expect(first.code).toBe(0);
    const output = JSON.parse(first.stdout);
    expect(output).toMatchObject({
      ok: true,
      task: 'git-snapshot',
      host: 'kaschu',
      result: { published: true },
    });
    expect(output.result.denied).toEqual(['/etc/bird/bird.key']);
    expect(git(bare, 'ls-tree', '-r', '--name-only', 'main').trim().split('\n').sort()).toEqual([
      'kaschu/crontab',
      'kaschu/etc/bird/bird.conf',
      'kaschu/etc/network/interfaces',
      'queue.yaml',
    ]);
    // Git commands are journaled like any other command of the run.
    const runs = path.join(root, 'var/lib/photon/runs/git-snapshot');
    const record = JSON.parse(readFileSync(path.join(runs, readdirSync(runs)[0]), 'utf8'));
    const gitCommands = record.commands.filter((c: { argv: string[] }) => c.argv[0] === 'git');
    const lines = gitCommands.map((c: { argv: string[] }) => c.argv.join(' '));
    for (const pattern of [/^git clone /, / commit /, /^git push /])
      expect(lines.some((l: string) => pattern.test(l))).toBe(true);
    const second = await photon(args, { env });
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout).summary).toMatch(/no change/);
    expect(git(bare, 'rev-list', '--count', 'main').trim()).toBe('2');
  });

  it('a git lock a killed git left: exit 69 with a clear message while young, removed once stale', async () => {
    const { root, env } = sandbox('photon-e2e-gitlock-');
    const bare = bareRepo(root);
    mkdirSync(path.join(root, 'etc/bird'), { recursive: true });
    writeFileSync(path.join(root, 'etc/bird/bird.conf'), 'router id 10.0.0.1;\n');
    const config = path.join(root, 'photon.yaml');
    writeFileSync(
      config,
      [
        'photon: { hostname: kaschu }',
        'git:',
        '  snapshot:',
        `    repository: { remote: ${bare}, dir: /var/lib/photon/gateway-configs }`,
        '    paths: [/etc/bird]',
        '    commands: {}',
        '',
      ].join('\n'),
    );
    const args = ['git', 'snapshot', '--root', root, '--config', config];
    expect((await photon(args, { env })).code).toBe(0);
    writeFileSync(path.join(root, 'etc/bird/bird.conf'), 'router id 10.0.0.2;\n');
    const lock = path.join(root, 'var/lib/photon/gateway-configs/.git/index.lock');
    writeFileSync(lock, '');
    const young = await photon(args, { env });
    expect(young.code).toBe(69);
    expect(young.stderr).toMatch(
      /gateway-configs: git is locked by \/var\/lib\/photon\/gateway-configs\/.git\/index.lock \(it is \d+ s old; it is removed once it is 120 s old and no git process works in the repository\); nothing was changed/,
    );
    expect(young.stderr).not.toContain('are terminated then try again');
    expect(existsSync(lock)).toBe(true);
    const old = new Date(Date.now() - 130_000);
    utimesSync(lock, old, old);
    const healed = await photon(args, { env });
    expect(healed.code).toBe(0);
    expect(existsSync(lock)).toBe(false);
    expect(git(bare, 'show', 'main:kaschu/etc/bird/bird.conf')).toBe('router id 10.0.0.2;\n');
  });

  it('a failing task writes the failure mail into the outbox and keeps its exit code', async () => {
    const { root, env } = sandbox('photon-e2e-gitmail-');
    const config = path.join(root, 'photon.yaml');
    writeFileSync(
      config,
      [
        'photon: { hostname: kaschu }',
        'mail: { transport: file, outbox: /var/spool/photon/outbox, to: noc@example.org }',
        `git: { repositories: [{ name: gone, remote: ${path.join(root, 'missing.git')}, dir: /srv/gone }] }`,
        '',
      ].join('\n'),
    );
    const run = await photon(['git', 'sync', '--root', root, '--config', config], { env });
    expect(run.code).toBe(69);
    const outbox = path.join(root, 'var/spool/photon/outbox');
    const mails = readdirSync(outbox);
    expect(mails).toHaveLength(1);
    const eml = readFileSync(path.join(outbox, mails[0]), 'utf8');
    expect(eml).toContain('Subject: [photon] kaschu git-sync failed (exit 69)');
    expect(eml).toContain('To: noc@example.org');
    expect(eml).toMatch(/no repository there/);
  });
});
