import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/photon.js';

describe('npm run demo', () => {
  it('runs one whole gateway cycle of the example community in its sandbox', () => {
    const run = spawnSync(process.execPath, ['scripts/demo.mjs'], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 240_000,
    });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    for (const job of [
      'settings',
      'icvpn',
      'fastd keys',
      'fastd limit',
      'fastd status',
      'git snapshot',
      'web site',
      'schedule',
    ]) {
      expect(run.stdout).toMatch(new RegExp(`✓  ${job}\\s+exit 0`));
    }
    const root = path.join(repoRoot, '.demo/root');
    // The other gateways' status pages count (served as {"<instance>": {"peers": N}}): with all four
    // gateways online the limit is their average plus `additional` once, not once per gateway.
    const status = JSON.parse(
      readFileSync(path.join(repoRoot, 'packages/plugin-fastd/test-data/status-gw-tap.raw.json'), 'utf8'),
    ) as { peers: Record<string, { connection: unknown }> };
    const own = Object.values(status.peers).filter((p) => p.connection).length;
    const remote = ['lotuswurzel', 'spinat', 'wasserfloh'].map((gateway) => 20 + gateway.length);
    const limit = Math.floor((own + remote.reduce((a, b) => a + b, 0)) / 4) + 8;
    expect(readFileSync(path.join(root, 'etc/fastd/mzvpn-1406/peer_limit.conf'), 'utf8')).toMatch(
      new RegExp(`^peer limit ${limit};$`, 'm'),
    );
    // The host's own data stays out of the snapshot: the demo removes the example's commands.
    const snapshot = spawnSync(
      'git',
      [
        '-C',
        path.join(repoRoot, '.demo/remotes/gateway-configs.git'),
        'ls-tree',
        '-r',
        '--name-only',
        'HEAD',
      ],
      { encoding: 'utf8' },
    ).stdout.split('\n');
    expect(snapshot).toContain('kaschu/uname');
    expect(snapshot.filter((f) => /package_list|crontab/.test(f))).toEqual([]);
    expect(existsSync(path.join(root, 'etc/bird/icvpn_ipv4_peers.conf'))).toBe(true);
    expect(readFileSync(path.join(root, 'var/www/html/index.html'), 'utf8')).toContain('Freifunk Mainz');
  });
});
