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
    expect(readFileSync(path.join(root, 'etc/fastd/mzvpn-1406/peer_limit.conf'), 'utf8')).toMatch(
      /^peer limit \d+;$/m,
    );
    expect(existsSync(path.join(root, 'etc/bird/icvpn_ipv4_peers.conf'))).toBe(true);
    expect(readFileSync(path.join(root, 'var/www/html/index.html'), 'utf8')).toContain('Freifunk Mainz');
  });
});
