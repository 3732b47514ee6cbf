import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ServeResult } from '../../services/respondd-server.js';
import { runCommand, writeSettings } from '../../test-helpers/run-command.js';
import ResponddServe from './serve.js';

describe('photon respondd serve --dry-run', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'photon-respondd-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const put = (p: string, text: string) => {
    mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
    writeFileSync(path.join(root, p), text);
  };
  put('/sys/class/net/lo/address', '00:00:00:00:00:00\n');
  put('/sys/class/net/eth0/address', '02:fc:00:00:00:01\n');
  put('/sys/class/net/eth1/address', '02:fc:00:00:00:02\n');
  const bare = writeSettings(root, { photon: { hostname: 'laptop', dataDir: '/var/lib/photon' } });

  it('answers as the host itself when no mesh is configured, named by its first interface with a MAC', async () => {
    const run = await runCommand<ServeResult>(ResponddServe, [
      '--config',
      bare,
      '--root',
      root,
      '--json',
      '--dry-run',
    ]);
    expect(run.exitCode).toBe(0);
    expect(run.output.result).toMatchObject({
      address: '::',
      port: 1001,
      meshes: [{ mesh: 'host', nodeId: '02fc00000001' }],
      memberships: [
        { group: 'ff02::2:1001', iface: 'eth0', mesh: 'host' },
        { group: 'ff05::2:1001', iface: 'eth0', mesh: 'host' },
      ],
      counts: { requests: 0, answered: 0 },
    });
  });

  it('refuses a --mesh that is not configured (exit 2)', async () => {
    const run = await runCommand<ServeResult>(ResponddServe, [
      '--config',
      bare,
      '--root',
      root,
      '--json',
      '--dry-run',
      '--mesh',
      'mz',
    ]);
    expect(run.exitCode).toBe(2);
  });
});
